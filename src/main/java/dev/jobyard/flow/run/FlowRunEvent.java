package dev.jobyard.flow.run;

import java.time.OffsetDateTime;

/**
 * One change of a run or of one of its steps; {@code stepSlug} is null for run events. {@code queue} is the flow's
 * (the queue of all its jobs), so that a subscriber limited to some queues is filtered without a lookup; null in a
 * message from a replica that did not send it.
 */
public record FlowRunEvent(FlowRunEventType type, long runId, String flowSlug, String stepSlug, OffsetDateTime at,
        String queue) {
}
