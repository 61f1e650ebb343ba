package dev.jobyard.schedule.expression;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Fixed-period slots counted from the anchor: anchor + k × period for k ≥ 1. Counting from the anchor rather than
 * from the last run keeps slots from drifting by however late each run started, and lets any node compute the same
 * slot. Real time, not wall time: a 1d interval fires at a different local hour after a DST change.
 */
final class IntervalSchedule implements FireTimes {

    private final Instant anchor;
    private final Duration period;

    IntervalSchedule(Instant anchor, Duration period) {
        this.anchor = anchor;
        this.period = period;
    }

    @Override
    public Optional<Instant> nextAfter(Instant after) {
        if (after.isBefore(anchor)) {
            return Optional.of(anchor.plus(period));
        }
        long elapsedPeriods = Duration.between(anchor, after).dividedBy(period);
        return Optional.of(anchor.plus(period.multipliedBy(elapsedPeriods + 1)));
    }

    @Override
    public Optional<Duration> interval() {
        return Optional.of(period);
    }
}
