package dev.jobyard.job;

/**
 * The seeds' statuses. PENDING, RUNNING and WAITING live in {@code job}; the rest in {@code job_history}.
 * WAITING is a durable task parked on a child, an event or a row change: no claim ever takes it, and what
 * it waits for sets it PENDING (see {@code dev.jobyard.durable}).
 */
public enum JobStatus {
    PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, WAITING;

    public boolean isFinal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
}
