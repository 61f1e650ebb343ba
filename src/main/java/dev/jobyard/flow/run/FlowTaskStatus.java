package dev.jobyard.flow.run;

/** QUEUED until its job ends; shown as STARTED while the job runs (the engine tells no one of claims). */
public enum FlowTaskStatus {
    QUEUED, STARTED, COMPLETED, FAILED, CANCELLED
}
