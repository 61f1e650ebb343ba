package dev.jobyard.schedule.expression;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;

/**
 * Turns a local date-time in a zone into the instant a schedule fires at, by the package's DST rules:
 * a time that falls in a gap fires at the end of the gap (the transition instant: 03:00 when clocks jump from 02:00
 * to 03:00), a time that occurs twice in an overlap fires at its first occurrence.
 *
 * <p>{@link java.time.ZonedDateTime#of} would move a gap time forward by the length of the gap (02:30 → 03:30),
 * which makes a 02:30 job and a 03:30 job collide and a 02:00 job fire at 03:00 but a 02:59 job at 03:59; the end of
 * the gap is the one instant that is the "next moment" for every time in it.
 */
final class WallClock {

    private WallClock() {
    }

    static Instant resolve(LocalDateTime local, ZoneId zone) {
        ZoneRules rules = zone.getRules();
        List<ZoneOffset> offsets = rules.getValidOffsets(local);
        if (offsets.size() == 1) {
            return local.toInstant(offsets.get(0));
        }
        ZoneOffsetTransition transition = rules.getTransition(local);
        if (offsets.isEmpty()) {
            return transition.getInstant();
        }
        // The offset before a fall-back transition is the larger one, so it gives the earlier instant.
        return local.toInstant(transition.getOffsetBefore());
    }
}
