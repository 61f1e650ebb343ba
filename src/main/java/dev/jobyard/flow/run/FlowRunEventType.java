package dev.jobyard.flow.run;

public enum FlowRunEventType {
    RUN_STARTED, STEP_STARTED, STEP_COMPLETED, STEP_FAILED, RUN_COMPLETED, RUN_FAILED, RUN_CANCELLED
}
