package dev.jobyard.chain.run;

import java.time.OffsetDateTime;

/** One row of {@code chain_execution_log}: one execution of one task (taskId null for onError). */
public record ChainLogEntry(long id, long runId, long chainId, Long taskId, String taskName, Integer parameterIndex,
        Long txid, OffsetDateTime startedAt, OffsetDateTime finishedAt, int returnCode, String output, String params,
        String worker, String clientName) {
}
