package dev.jobyard.schedule.expression;

import java.time.Instant;
import java.util.Optional;

/** A single fire time; once {@code after} has reached it, there is none left. */
final class OnceSchedule implements FireTimes {

    private final Instant at;

    OnceSchedule(Instant at) {
        this.at = at;
    }

    @Override
    public Optional<Instant> nextAfter(Instant after) {
        return at.isAfter(after) ? Optional.of(at) : Optional.empty();
    }
}
