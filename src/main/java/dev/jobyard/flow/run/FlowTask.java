package dev.jobyard.flow.run;

import java.time.OffsetDateTime;

/** One task (one index of one step of one run) as stored, with the status of its current job's attempt. */
public record FlowTask(long runId, String stepSlug, int taskIndex, long jobId, int attempts, FlowTaskStatus status,
        String output, String error, OffsetDateTime endedAt) {
}
