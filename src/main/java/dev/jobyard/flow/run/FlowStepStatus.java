package dev.jobyard.flow.run;

public enum FlowStepStatus {
    CREATED, STARTED, COMPLETED, FAILED, CANCELLED;

    public boolean isFinal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
}
