package dev.jobyard.engine;

import java.util.Comparator;

import dev.jobyard.job.ClaimedJob;

/**
 * A claimed job waiting for one of its queue's threads. Waiting jobs start in the order the claim
 * statement picks (priority, then due time, then id), not in the order they were claimed: a job that
 * became runnable after a batch was claimed — a released dependent, an urgent job — overtakes the
 * batch instead of waiting behind it.
 */
final class ClaimedRun implements Runnable, Comparable<ClaimedRun> {

    private static final Comparator<ClaimedJob> CLAIM_ORDER = Comparator
            .comparingInt((ClaimedJob job) -> -job.priority())
            .thenComparing(ClaimedJob::runAt)
            .thenComparingLong(ClaimedJob::id);

    private final ClaimedJob job;
    private final Runnable run;

    ClaimedRun(ClaimedJob job, Runnable run) {
        this.job = job;
        this.run = run;
    }

    @Override
    public void run() {
        run.run();
    }

    @Override
    public int compareTo(ClaimedRun other) {
        return CLAIM_ORDER.compare(job, other.job);
    }
}
