package dev.jobyard.event;

import java.util.List;

import io.vertx.core.json.JsonArray;

/** What the listener tells the rest of this replica, as synchronous CDI events on the event loop. */
public final class Signals {

    private Signals() {
    }

    /** Job status changes committed by any replica. Observers must not block. */
    public record JobsChanged(List<JobEvent> events) {
    }

    /** Someone cancelled a running job; the replica running it interrupts the handler. */
    public record CancelRequested(long jobId, String reason) {
    }

    public record QueueChanged(String queue, boolean paused) {
    }

    /** LISTEN is (again) in place; notifications sent while it was not may have been missed. */
    public record ListenerConnected() {
    }

    /** A message of a type another capability publishes (e.g. schedule events); observers must not block. */
    public record Message(String type, JsonArray events) {
    }
}
