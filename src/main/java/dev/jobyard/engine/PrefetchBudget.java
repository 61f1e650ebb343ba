package dev.jobyard.engine;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * How many claimed jobs a queue may hold waiting for a worker thread: as many as its workers get
 * through within the horizon at the rate they finish jobs now, and never more than the configured
 * prefetch. A flood of short jobs is then claimed in full batches, while a queue of slow jobs claims
 * only for idle threads and leaves the rest to other replicas.
 */
final class PrefetchBudget {

    // Time constant of the finish rate's moving average: short enough to follow a burst within a
    // few claims, long enough that one slow job does not reset it.
    private static final double SMOOTHING_NANOS = 250_000_000d;
    private static final long MIN_SAMPLE_NANOS = 5_000_000L;

    private final int max;
    private final long horizonNanos;
    private final LongSupplier clock;
    private final AtomicLong finished = new AtomicLong();
    // Owned by the fetcher thread.
    private long seenFinished;
    private long seenAt;
    private double perNano;

    PrefetchBudget(int max, Duration horizon) {
        this(max, horizon, System::nanoTime);
    }

    PrefetchBudget(int max, Duration horizon, LongSupplier nanoClock) {
        this.max = Math.max(0, max);
        this.horizonNanos = horizon.toNanos();
        this.clock = nanoClock;
        this.seenAt = nanoClock.getAsLong();
    }

    /** Any thread: one job of the queue finished. */
    void jobFinished() {
        finished.incrementAndGet();
    }

    /** Fetcher thread only: the claimed jobs that may wait for a thread now. */
    int allowance() {
        if (max == 0) {
            return 0;
        }
        long now = clock.getAsLong();
        long elapsed = now - seenAt;
        if (elapsed >= MIN_SAMPLE_NANOS) {
            long total = finished.get();
            double recent = (double) (total - seenFinished) / elapsed;
            perNano += (1 - Math.exp(-elapsed / SMOOTHING_NANOS)) * (recent - perNano);
            seenFinished = total;
            seenAt = now;
        }
        return (int) Math.min(max, Math.floor(perNano * horizonNanos));
    }
}
