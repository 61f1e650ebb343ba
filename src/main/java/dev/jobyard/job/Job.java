package dev.jobyard.job;

import java.time.OffsetDateTime;
import java.util.List;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A job as stored, active or archived; the archived-only fields are null for an active one. */
public record Job(long id, String queue, String kind, String name, String description, JsonObject payload,
        JsonObject labels, int priority, JobStatus status, OffsetDateTime runAt, int attempts, int maxAttempts,
        Integer timeoutSeconds, String idempotencyKey, List<Long> dependencies, JsonArray errors, String error,
        JsonObject result, String worker, Long retryOf, Long scheduleId, String cancelReason, OffsetDateTime createdAt,
        OffsetDateTime startedAt, OffsetDateTime completedAt, OffsetDateTime updatedAt, Long durationMs) {

    public boolean isArchived() {
        return status.isFinal();
    }
}
