package dev.jobyard.flow.run;

import java.time.OffsetDateTime;

/** A run as stored; {@code input} and {@code output} are JSON texts (any JSON value; output null until it completes). */
public record FlowRun(long id, long flowId, String flowSlug, FlowRunStatus status, String input, String output,
        String error, int remainingSteps, String idempotencyKey, OffsetDateTime createdAt, OffsetDateTime endedAt) {
}
