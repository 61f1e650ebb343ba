package dev.jobyard.flow.run;

public enum FlowRunStatus {
    STARTED, COMPLETED, FAILED, CANCELLED
}
