package dev.jobyard.job;

import java.time.OffsetDateTime;
import java.util.List;

import io.vertx.core.json.JsonObject;

/**
 * A validated request for one job; {@code scheduleId} and {@code exclusive} are set by the schedule firer. {@code dependencies} are job ids; {@code runAt} null means
 * {@code now() + delaySeconds} on the database clock. {@code owner} names the {@link JobOwner} told when the job
 * ends (null for a job of its own). {@code clientName} restricts the job to replicas started with that
 * {@code jobyard.client-name} (a chain run's client name, see {@link dev.jobyard.handler.JobHandler#clientName});
 * null for any replica.
 */
public record NewJob(String queue, String kind, String name, String description, JsonObject payload,
        JsonObject labels, int priority, OffsetDateTime runAt, long delaySeconds, int maxAttempts,
        Integer timeoutSeconds, String idempotencyKey, List<Long> dependencies, Long retryOf, Long scheduleId,
        boolean exclusive, String owner, String clientName) {

    /** A job no workflow owns. */
    public NewJob(String queue, String kind, String name, String description, JsonObject payload,
            JsonObject labels, int priority, OffsetDateTime runAt, long delaySeconds, int maxAttempts,
            Integer timeoutSeconds, String idempotencyKey, List<Long> dependencies, Long retryOf, Long scheduleId,
            boolean exclusive) {
        this(queue, kind, name, description, payload, labels, priority, runAt, delaySeconds, maxAttempts,
                timeoutSeconds, idempotencyKey, dependencies, retryOf, scheduleId, exclusive, null, null);
    }

    /** A job any replica may run. */
    public NewJob(String queue, String kind, String name, String description, JsonObject payload,
            JsonObject labels, int priority, OffsetDateTime runAt, long delaySeconds, int maxAttempts,
            Integer timeoutSeconds, String idempotencyKey, List<Long> dependencies, Long retryOf, Long scheduleId,
            boolean exclusive, String owner) {
        this(queue, kind, name, description, payload, labels, priority, runAt, delaySeconds, maxAttempts,
                timeoutSeconds, idempotencyKey, dependencies, retryOf, scheduleId, exclusive, owner, null);
    }

    public NewJob withDependencies(List<Long> ids) {
        return new NewJob(queue, kind, name, description, payload, labels, priority, runAt, delaySeconds, maxAttempts,
                timeoutSeconds, idempotencyKey, ids, retryOf, scheduleId, exclusive, owner, clientName);
    }

    /** The same job, owned by the workflow named {@code owner}. */
    public NewJob ownedBy(String owner) {
        return new NewJob(queue, kind, name, description, payload, labels, priority, runAt, delaySeconds, maxAttempts,
                timeoutSeconds, idempotencyKey, dependencies, retryOf, scheduleId, exclusive, owner, clientName);
    }

    /** The same job, for replicas of client name {@code client} only (null: any replica). */
    public NewJob withClientName(String client) {
        return new NewJob(queue, kind, name, description, payload, labels, priority, runAt, delaySeconds, maxAttempts,
                timeoutSeconds, idempotencyKey, dependencies, retryOf, scheduleId, exclusive, owner, client);
    }
}
