package dev.jobyard.schedule.expression;

import com.cronutils.model.Cron;
import com.cronutils.model.time.ExecutionTime;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * Fire times of a cron expression in a zone, with the DST rules of {@link WallClock}.
 *
 * <p>cron-utils' {@code ExecutionTime.nextExecution} on a zoned date-time gets DST wrong for these rules: a slot in
 * the spring-forward gap is skipped (a daily 02:30 job does not run that day), and in the fall-back overlap a slot is
 * returned at both offsets when the expression matches every hour or more often (hourly and {@code *}{@code /15}
 * jobs run twice between 01:00 and 02:00). So cron-utils is only asked about local date-times, presented as UTC
 * where no clock ever jumps, and each matching local date-time is mapped to an instant here. That mapping never
 * goes backwards in time; slots in a gap all map to the gap's end, so several of them (and the slot at the end of
 * the gap itself) fire once there.
 */
final class CronSchedule implements FireTimes {

    private final ExecutionTime execution;
    private final ZoneId zone;

    CronSchedule(Cron cron, ZoneId zone) {
        this.execution = ExecutionTime.forCron(cron);
        this.zone = zone;
    }

    @Override
    public Optional<Instant> nextAfter(Instant after) {
        // No slot at or before the local time of `after` can fire after it, since the mapping is monotonic. Slots
        // after it can still fire at or before `after` when `after` is in the second pass through an overlap, or
        // when they collapse onto a gap's end that is not after `after`: skip those.
        LocalDateTime local = LocalDateTime.ofInstant(after, zone);
        while (true) {
            Optional<LocalDateTime> slot = nextLocal(local);
            if (slot.isEmpty()) {
                return Optional.empty();
            }
            Instant fire = WallClock.resolve(slot.get(), zone);
            if (fire.isAfter(after)) {
                return Optional.of(fire);
            }
            local = slot.get();
        }
    }

    private Optional<LocalDateTime> nextLocal(LocalDateTime after) {
        return execution.nextExecution(after.atZone(ZoneOffset.UTC)).map(ZonedDateTime::toLocalDateTime);
    }
}
