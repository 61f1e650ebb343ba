package dev.jobyard.job;

/**
 * How many of the jobs a call creates may start at once on this replica, and under which worker and lease: as
 * many as it has idle worker threads for their queue. Such a job is inserted already claimed, so it starts
 * without the round trip of a notification and a claim (the latency of a lone job on an idle service), and is
 * announced as created and claimed. {@code sinceNanos} ({@link System#nanoTime()}, taken before the insert is
 * sent) is when the lease of such a job is counted from on this replica.
 */
public record StartAtCreate(String worker, int count, long leaseMillis, long sinceNanos) {

    public static final StartAtCreate NONE = new StartAtCreate(null, 0, 0, 0);

    /** The lease token of a job started by its insert: its first claim (see {@link Fence}). */
    public static final long FIRST_CLAIM = 1;
}
