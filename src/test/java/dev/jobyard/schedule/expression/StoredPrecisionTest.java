package dev.jobyard.schedule.expression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/**
 * Fire times have the precision the database keeps, microseconds. A finer one would be stored truncated, and
 * the next time computed from the stored slot would be the same finer time again: the slot would never move.
 */
class StoredPrecisionTest {

    @Test
    void aTimestampFinerThanAMicrosecondFiresAtItsMicrosecond() {
        ScheduleExpression once = ScheduleExpression.parse("2030-12-07T02:13:23.1234567Z", "UTC", Times.ANCHOR);

        Instant stored = Instant.parse("2030-12-07T02:13:23.123456Z");
        assertEquals(List.of(stored), once.next(Times.ANCHOR, 5), "one fire time, as the database keeps it");
        assertEquals(Optional.empty(), once.nextAfter(stored), "after its stored slot, nothing is left");
    }

    @Test
    void aNextTimeIsAlwaysAfterTheStoredSlotItFollows() {
        // A fire time finer than a microsecond, as a row written before the input was truncated can hold.
        Instant fine = Instant.parse("2030-12-07T02:13:23.123456700Z");
        ScheduleExpression once = new ScheduleExpression(ScheduleKind.ONCE, "x", ZoneOffset.UTC, new OnceSchedule(fine));
        Instant stored = Instant.parse("2030-12-07T02:13:23.123456Z");

        assertEquals(Optional.of(stored), once.nextAfter(Times.ANCHOR));
        assertEquals(Optional.empty(), once.nextAfter(stored), "never a next slot that is not after the previous one");
    }

    @Test
    void slotsBetweenCountsAndFindsTheLatestWithoutWalking() {
        Instant anchor = Instant.parse("2025-01-01T00:00:00Z");
        ScheduleExpression everySecond = ScheduleExpression.parse("@every 1 second", "UTC", anchor);
        Instant before = anchor.plusSeconds(13L * 86_400);

        ScheduleExpression.Slots slots = everySecond.slotsBetween(anchor.plusSeconds(1), before, 3, 10);

        assertEquals(13L * 86_400 - 1, slots.count(), "exact for intervals: slots 1 .. 13 days - 1 s");
        assertEquals(List.of(before.minusSeconds(3), before.minusSeconds(2), before.minusSeconds(1)), slots.latest());
        assertTrue(!slots.countCapped());
    }

    @Test
    void cronSlotsAYearBackAreCountedUpToTheCap() {
        ScheduleExpression everyMinute = ScheduleExpression.parse("* * * * *", "UTC", Times.ANCHOR);
        Instant from = Instant.parse("2025-01-01T00:00:00Z");
        Instant before = Instant.parse("2026-01-01T00:00:00Z");

        ScheduleExpression.Slots slots = everyMinute.slotsBetween(from, before, 2, 1000);

        assertEquals(List.of(Instant.parse("2025-12-31T23:58:00Z"), Instant.parse("2025-12-31T23:59:00Z")), slots.latest());
        assertTrue(slots.countCapped());
        assertEquals(1000, slots.count());
    }
}
