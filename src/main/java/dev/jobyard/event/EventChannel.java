package dev.jobyard.event;

/**
 * The NOTIFY channels every replica listens on, and the message types they carry. {@link #NAME} carries
 * what the engine acts on (new runnable jobs, cancels, queue and schedule changes, ends of scheduled
 * jobs); {@link #WATCH} carries job events that only live subscriptions care about (claims, completions
 * of unscheduled jobs). A replica without subscribers ignores {@link #WATCH} without parsing it: at full
 * speed those are two events per job, and parsing them cost more CPU than running noop jobs.
 */
public final class EventChannel {

    public static final String NAME = "jobyard_events";
    public static final String WATCH = "jobyard_watch";
    /** NOTIFY payloads are capped at 8000 bytes; stay below with room for the envelope. */
    static final int MAX_PAYLOAD_BYTES = 7000;

    static final String TYPE_JOBS = "jobs";
    static final String TYPE_CANCEL = "cancel";
    static final String TYPE_QUEUE = "queue";
    static final String TYPE_PING = "ping";

    private EventChannel() {
    }
}
