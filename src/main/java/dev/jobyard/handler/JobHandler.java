package dev.jobyard.handler;

import io.vertx.core.json.JsonObject;

/**
 * The SPI for running a kind of job: a CDI bean (e.g. {@code @ApplicationScoped}) per kind, found at
 * build time. {@link #handle} runs on a worker thread; returning is success, throwing is a failed
 * attempt (retried with backoff until maxAttempts). A handler that runs long should check
 * {@link JobContext#isCancelled()} or respond to thread interruption: that is how timeouts,
 * cancellation and shutdown reach it.
 */
public interface JobHandler {

    /** The kind this handler serves, as named by jobs' {@code kind}. */
    String kind();

    /** Rejects a payload this handler cannot run, at creation time; throw {@link dev.jobyard.common.BadInputException}. */
    default void validate(JsonObject payload) {
    }

    /**
     * The workflow ({@link dev.jobyard.job.JobOwner#name()}) that owns every job of this kind, told when one ends;
     * null (the default) for kinds no workflow follows. Durable tasks name theirs, so that a task's waits and
     * children are cleaned up however it ends. A job created with an owner of its own keeps that one.
     */
    default String owner() {
        return null;
    }

    /**
     * The client name a job of this kind with this payload is for: only replicas started with that
     * {@code jobyard.client-name} claim it. Null (the default): any replica. Chain runs name theirs (pg_timetable's
     * client_name); the engine stores it in the job's {@code client_name} column when it inserts the job.
     */
    default String clientName(JsonObject payload) {
        return null;
    }

    /** Runs one attempt and returns its result (null for none); the result is stored in history. */
    JsonObject handle(JobContext context) throws Exception;
}
