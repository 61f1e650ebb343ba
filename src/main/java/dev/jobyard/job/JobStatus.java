package dev.jobyard.job;

/** The seeds' statuses. PENDING and RUNNING live in {@code job}; the rest in {@code job_history}. */
public enum JobStatus {
    PENDING, RUNNING, COMPLETED, FAILED, CANCELLED;

    public boolean isFinal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
}
