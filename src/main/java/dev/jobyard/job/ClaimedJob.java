package dev.jobyard.job;

import java.time.OffsetDateTime;

import io.vertx.core.json.JsonObject;

/**
 * A job a worker has just taken, with everything its handler needs; {@code leaseToken} names this claim
 * (see {@link Fence}); {@code hasDependents} says whether other jobs, or the workflow that owns it, wait for it
 * (its success is then written ahead of others).
 */
public record ClaimedJob(long id, String queue, String kind, String name, JsonObject payload, JsonObject labels,
        int attempt, int maxAttempts, Integer timeoutSeconds, String worker, long leaseToken, int priority,
        OffsetDateTime runAt, boolean hasDependents) {

    public Fence fence() {
        return new Fence(id, attempt, worker, leaseToken);
    }
}
