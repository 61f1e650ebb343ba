package dev.jobyard.chain;

import java.time.OffsetDateTime;

/** One event of a chain; {@code runId} is the run's job id, {@code taskId} set for task events. */
public record ChainEvent(long chainId, String chainName, ChainEventType type, Long runId, Long taskId, OffsetDateTime at,
        String detail) {
}
