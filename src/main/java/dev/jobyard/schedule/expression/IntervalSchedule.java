package dev.jobyard.schedule.expression;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

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

    /** Slots are anchor + k × period for k from 1: count the k with from ≤ slot < before. */
    @Override
    public OptionalLong count(Instant from, Instant before) {
        long first = Math.max(1, ceilPeriods(from));
        long last = ceilPeriods(before) - 1;
        return OptionalLong.of(Math.max(0, last - first + 1));
    }

    /** The smallest k with anchor + k × period ≥ t. */
    private long ceilPeriods(Instant t) {
        if (!t.isAfter(anchor)) {
            return 0;
        }
        Duration elapsed = Duration.between(anchor, t);
        long whole = elapsed.dividedBy(period);
        return period.multipliedBy(whole).equals(elapsed) ? whole : whole + 1;
    }

    @Override
    public Optional<Duration> interval() {
        return Optional.of(period);
    }
}
