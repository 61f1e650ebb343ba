package dev.jobyard.engine;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Delay before retrying after a failed attempt: base × 2^(attempt-1), capped, with "equal jitter"
 * (half fixed, half random) so that jobs failing together do not retry together.
 */
public final class Backoff {

    private final long baseMillis;
    private final long maxMillis;

    public Backoff(Duration base, Duration max) {
        this.baseMillis = Math.max(0, base.toMillis());
        this.maxMillis = Math.max(baseMillis, max.toMillis());
    }

    /** @param attempt the attempt that just failed, 1 for the first */
    public long delayMillis(int attempt) {
        return delayMillis(attempt, ThreadLocalRandom.current().nextDouble());
    }

    long delayMillis(int attempt, double random) {
        int shift = Math.min(Math.max(attempt - 1, 0), 40);
        long exponential = baseMillis << shift;
        if (exponential < 0 || exponential > maxMillis || (shift > 0 && exponential >> shift != baseMillis)) {
            exponential = maxMillis;
        }
        long half = exponential / 2;
        return half + (long) ((exponential - half) * random);
    }
}
