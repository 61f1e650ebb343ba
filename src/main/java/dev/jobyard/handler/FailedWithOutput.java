package dev.jobyard.handler;

import io.vertx.core.json.JsonObject;

/**
 * Thrown by a handler whose attempt failed but produced output worth keeping (what a program printed,
 * the response of an HTTP call): the attempt fails as with any exception, and {@link #output()} is
 * stored with it, so history shows what each failed attempt printed. Also used when an attempt is
 * stopped (timeout, cancel) after it printed something.
 */
public class FailedWithOutput extends Exception {

    private final transient JsonObject output;

    public FailedWithOutput(String message, JsonObject output) {
        super(message);
        this.output = output;
    }

    public FailedWithOutput(String message, JsonObject output, Throwable cause) {
        super(message, cause);
        this.output = output;
    }

    public JsonObject output() {
        return output;
    }
}
