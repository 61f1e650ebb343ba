package dev.jobyard.job;

import java.util.List;

/**
 * This replica's idle worker threads, as seen by the code that creates jobs: it reserves some before it
 * inserts, hands the jobs that were inserted already claimed to them, and gives the rest back.
 */
public interface IdleWorkers {

    /** Reserves up to {@code max} idle worker threads of {@code queue}; none while workers are off or stopping. */
    StartAtCreate reserve(String queue, int max);

    /**
     * Runs {@code started} (jobs of {@code queue} inserted already claimed under {@code reserved}) on the reserved
     * threads, and frees the reservations they did not use. Called whether the insert committed or not.
     */
    void release(String queue, StartAtCreate reserved, List<ClaimedJob> started);
}
