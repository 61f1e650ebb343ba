package dev.jobyard.schedule.expression;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/** The times one form of schedule fires at; each form implements it, {@link ScheduleExpression} delegates to it. */
interface FireTimes {

    /** For {@code @reboot} and manual schedules, whose runs are triggered by events rather than by the clock. */
    FireTimes NEVER = after -> Optional.empty();

    /** First fire time strictly after {@code after}, or empty when there is none. */
    Optional<Instant> nextAfter(Instant after);

    /** How many fire times lie in {@code [from, before)}, when that can be computed without walking them. */
    default OptionalLong count(Instant from, Instant before) {
        return OptionalLong.empty();
    }

    default Optional<Duration> interval() {
        return Optional.empty();
    }
}
