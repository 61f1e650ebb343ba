package dev.jobyard.flow.run;

import java.time.OffsetDateTime;

/** One change of a run or of one of its steps; {@code stepSlug} is null for run events. */
public record FlowRunEvent(FlowRunEventType type, long runId, String flowSlug, String stepSlug, OffsetDateTime at) {
}
