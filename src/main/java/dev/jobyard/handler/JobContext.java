package dev.jobyard.handler;

import dev.jobyard.job.Fence;
import io.vertx.core.json.JsonObject;

/** What a handler knows about the attempt it runs, and how it reports progress. */
public interface JobContext {

    long jobId();

    String kind();

    String queue();

    /** 1 for the first attempt. */
    int attempt();

    int maxAttempts();

    JsonObject payload();

    JsonObject labels();

    /** True once the attempt should stop: cancelled, timed out, lease lost or replica shutting down. */
    boolean isCancelled();

    /**
     * The claim this attempt runs under: a handler that writes in the job's name (a durable task saving a
     * step) fences its writes with it, so that a write of an attempt that lost its lease is rejected.
     */
    Fence fence();

    /** Appends a line to the job's log ({@code job_log}), kept with the job's history. */
    void log(String level, String message, JsonObject data);
}
