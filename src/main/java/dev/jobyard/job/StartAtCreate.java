package dev.jobyard.job;

/**
 * How many of the jobs a call creates may start at once on this replica, and under which worker and lease: as
 * many as it has idle worker threads for their queue. Such a job is inserted already claimed, so it starts
 * without the round trip of a notification and a claim (the latency of a lone job on an idle service), and is
 * announced as created and claimed.
 */
public record StartAtCreate(String worker, int count, long leaseMillis) {

    public static final StartAtCreate NONE = new StartAtCreate(null, 0, 0);
}
