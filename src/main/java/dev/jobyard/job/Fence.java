package dev.jobyard.job;

/**
 * What a change to a running job must match to be applied: the row, the attempt and the lease holder.
 * A worker that lost its lease (rescued, retried elsewhere) no longer matches, so its late result is
 * rejected instead of overwriting the newer state.
 */
public record Fence(long jobId, int attempt, String worker) {
}
