package dev.jobyard.event;

import java.util.List;

import io.vertx.core.json.JsonArray;

/** What the listener tells the rest of this replica, as synchronous CDI events on the event loop. */
public final class Signals {

    private Signals() {
    }

    /**
     * Job status changes as NOTIFY told them, unchecked: hints for waking workers and the schedule firer,
     * which read the table before they change anything. Observers must not block.
     */
    public record JobsChanged(List<JobEvent> events) {
    }

    /**
     * Job status changes confirmed against the table ({@link EventConfirmations}), with kind, error and
     * schedule from the row: what subscribers are shown. Fired on the confirmations' thread, in the order
     * heard. Observers must not block.
     */
    public record JobsConfirmed(List<JobEvent> events) {
    }

    /**
     * Someone cancelled a job this replica runs, as its row confirms (with the reason stored there); the
     * handler is interrupted.
     */
    public record CancelRequested(long jobId, String reason) {
    }

    public record QueueChanged(String queue, boolean paused) {
    }

    /** LISTEN is (again) in place; notifications sent while it was not may have been missed. */
    public record ListenerConnected() {
    }

    /**
     * A message of a type another capability publishes (e.g. schedule events), handed on in order with the
     * confirmed job events, on their thread; observers must not block.
     */
    public record Message(String type, JsonArray events) {
    }
}
