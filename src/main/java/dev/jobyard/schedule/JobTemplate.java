package dev.jobyard.schedule;

import io.vertx.core.json.JsonObject;

/** The job a schedule creates at each slot. */
public record JobTemplate(String kind, JsonObject payload, String queue, int priority, int maxAttempts,
        Integer timeoutSeconds) {
}
