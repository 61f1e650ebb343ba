package dev.jobyard.chain;

/** What happened to a chain or one of its runs. */
public enum ChainEventType {
    CREATED, UPDATED, DELETED, PAUSED, RESUMED,
    /** A slot was skipped (maxInstances reached). */
    SKIPPED,
    /** A run began its tasks. */
    STARTED, TASK_SUCCEEDED, TASK_FAILED,
    /** The run (a job) ended so. */
    COMPLETED, FAILED, CANCELLED
}
