package dev.jobyard.flow.run;

import java.time.OffsetDateTime;

/** One step of one run as stored; {@code output} is JSON text, or null when not read or not there. */
public record StepState(long runId, String stepSlug, int stepIndex, FlowStepStatus status, int remainingDeps,
        Integer initialTasks, Integer remainingTasks, String output, String error, OffsetDateTime startedAt,
        OffsetDateTime endedAt) {
}
