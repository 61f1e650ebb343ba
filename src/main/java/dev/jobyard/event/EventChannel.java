package dev.jobyard.event;

/** The one NOTIFY channel every replica listens on, and the message types it carries. */
public final class EventChannel {

    public static final String NAME = "jobyard_events";
    /** NOTIFY payloads are capped at 8000 bytes; stay below with room for the envelope. */
    static final int MAX_PAYLOAD_BYTES = 7000;

    static final String TYPE_JOBS = "jobs";
    static final String TYPE_CANCEL = "cancel";
    static final String TYPE_QUEUE = "queue";
    static final String TYPE_PING = "ping";

    private EventChannel() {
    }
}
