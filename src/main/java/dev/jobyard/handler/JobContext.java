package dev.jobyard.handler;

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

    /** Appends a line to the job's log ({@code job_log}), kept with the job's history. */
    void log(String level, String message, JsonObject data);
}
