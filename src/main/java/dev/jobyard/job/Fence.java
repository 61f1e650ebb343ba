package dev.jobyard.job;

/**
 * What a change to a running job must match to be applied: the row, the attempt, the lease holder and the
 * claim ({@code token}, the job's {@code lease_token}: how many times it had been claimed, new for every
 * claim). A worker that lost its lease (rescued, retried elsewhere, handed back and claimed again) no longer
 * matches, so its late result is rejected instead of overwriting the newer state.
 */
public record Fence(long jobId, int attempt, String worker, long token) {
}
