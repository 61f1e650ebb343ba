package dev.jobyard.job;

import java.time.OffsetDateTime;
import java.util.List;

import io.vertx.core.json.JsonObject;

/**
 * What a caller asked for, before validation. {@code ref} and {@code dependsOnRefs} only mean
 * something inside one {@code createJobs} batch.
 */
public record JobRequest(String queue, String kind, String name, String description, JsonObject payload,
        JsonObject labels, Integer priority, OffsetDateTime runAt, Long delaySeconds, List<String> dependencies,
        Integer maxAttempts, Integer timeoutSeconds, String idempotencyKey, String ref, List<String> dependsOnRefs) {
}
