package dev.jobyard.job;

import java.time.OffsetDateTime;

import io.vertx.core.json.JsonObject;

/** A job a worker has just taken, with everything its handler needs. */
public record ClaimedJob(long id, String queue, String kind, String name, JsonObject payload, JsonObject labels,
        int attempt, int maxAttempts, Integer timeoutSeconds, String worker, int priority, OffsetDateTime runAt) {

    public Fence fence() {
        return new Fence(id, attempt, worker);
    }
}
