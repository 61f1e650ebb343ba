package dev.jobyard.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.jobyard.schedule.expression.ScheduleKind;
import io.vertx.core.json.JsonObject;

/**
 * What the firer does with a due schedule, computed from the stored row and the time only: no waiting for real
 * time. The misfire threshold is 60 s and the catch-up limit 5 throughout.
 */
class SlotPlanTest {

    private static final Duration THRESHOLD = Duration.ofSeconds(60);
    private static final Instant NOW = Instant.parse("2026-06-15T12:00:00.500Z");

    static Schedule schedule(String expression, String zone, ScheduleKind kind, MisfirePolicy policy, Instant anchor) {
        OffsetDateTime at = anchor.atOffset(ZoneOffset.UTC);
        return new Schedule(1, "s", null, expression, kind, zone, new JobTemplate("noop", new JsonObject(), "default", 0, 3,
                null), ScheduleStatus.ACTIVE, null, false, false, policy, at, at, at, null, null, null);
    }

    private static List<Instant> fired(SlotPlan plan) {
        return plan.steps.stream().filter(SlotPlan.Step::fires).map(SlotPlan.Step::slot).toList();
    }

    private static List<SlotPlan.Step> skipped(SlotPlan plan) {
        return plan.steps.stream().filter(s -> !s.fires()).toList();
    }

    @Test
    void skipSkipsOnlyTheSlotsLaterThanTheThresholdAndFiresTheOthers() {
        // @every 20 seconds after 98 s of downtime: slots 98, 78, 58, 38, 18 s late.
        Instant anchor = NOW.minusSeconds(118);
        Schedule s = schedule("@every 20 seconds", "UTC", ScheduleKind.INTERVAL, MisfirePolicy.SKIP, anchor);

        SlotPlan plan = SlotPlan.of(s, anchor.plusSeconds(20), NOW, THRESHOLD, 5);

        assertEquals(List.of(NOW.minusSeconds(58), NOW.minusSeconds(38), NOW.minusSeconds(18)), fired(plan),
                "slots up to 60 s late are not missed: they fire");
        assertEquals(1, skipped(plan).size());
        assertEquals(NOW.minusSeconds(78), skipped(plan).get(0).slot());
        assertEquals("missed 2 slots while no leader could fire them (misfire policy SKIP)", skipped(plan).get(0).skipReason());
        assertEquals(NOW.plusSeconds(2), plan.next);
    }

    @Test
    void catchUpAfterThirteenDaysFiresTheLatestMissedSlotsNotTheOldest() {
        Instant anchor = NOW.minus(Duration.ofDays(13));
        Schedule s = schedule("@every 1 second", "UTC", ScheduleKind.INTERVAL, MisfirePolicy.CATCH_UP, anchor);

        SlotPlan plan = SlotPlan.of(s, anchor.plusSeconds(1), NOW, THRESHOLD, 5);

        Instant cutoff = NOW.minus(THRESHOLD);
        List<Instant> fired = fired(plan);
        assertEquals(List.of(cutoff.minusSeconds(5), cutoff.minusSeconds(4), cutoff.minusSeconds(3), cutoff.minusSeconds(2),
                cutoff.minusSeconds(1)), fired.subList(0, 5), "the five latest missed slots");
        assertEquals(5 + 61, fired.size(), "then every slot of the last 60 s, which were not missed");
        long missed = 13L * 86_400 - 60 - 1;
        assertEquals(List.of(new SlotPlan.Step(anchor.plusSeconds(1), (missed - 5) + " missed slots older than the catch-up limit were dropped")),
                skipped(plan));
        assertEquals(NOW.plusSeconds(1), plan.next);
    }

    @Test
    void aCronMissedForAYearFiresItsLatestMinutes() {
        Instant yearAgo = Instant.parse("2025-06-15T12:00:00Z");
        Schedule s = schedule("* * * * *", "UTC", ScheduleKind.CRON, MisfirePolicy.CATCH_UP, yearAgo);

        SlotPlan plan = SlotPlan.of(s, yearAgo.plusSeconds(60), NOW, THRESHOLD, 5);

        List<Instant> fired = fired(plan);
        assertEquals(Instant.parse("2026-06-15T11:55:00Z"), fired.get(0));
        assertEquals(Instant.parse("2026-06-15T12:00:00Z"), fired.get(fired.size() - 1));
        assertEquals("more than 9995 missed slots older than the catch-up limit were dropped", skipped(plan).get(0).skipReason());
        assertEquals(Instant.parse("2026-06-15T12:01:00Z"), plan.next);
    }

    @Test
    void fireOnceFiresTheLatestMissedSlotThenThoseOnTime() {
        Instant anchor = NOW.minusSeconds(300);
        Schedule s = schedule("@every 1 minute", "UTC", ScheduleKind.INTERVAL, MisfirePolicy.FIRE_ONCE, anchor);

        SlotPlan plan = SlotPlan.of(s, anchor.plusSeconds(60), NOW, THRESHOLD, 5);

        assertEquals(List.of(NOW.minusSeconds(120), NOW.minusSeconds(60), NOW), fired(plan),
                "one for the three missed slots, then the two within the threshold");
        assertEquals(List.of(), skipped(plan));
    }

    /**
     * A daily 09:00 schedule whose stored next run is an hour off, as after a change of the zone's rules: that
     * local day fires once, never twice. Stored an hour early, it waits for 09:00; stored an hour late (09:00 has
     * passed unfired), it fires at the stored time, and next at 09:00 the day after.
     */
    @Test
    void aStoredSlotAnHourOffTheTimetableFiresThatDayOnce() {
        String zone = "America/New_York";
        Instant nine = ZonedDateTime.parse("2026-06-15T09:00:00-04:00[America/New_York]").toInstant();
        Instant nineTomorrow = nine.plus(Duration.ofDays(1));
        Schedule s = schedule("0 9 * * *", zone, ScheduleKind.CRON, MisfirePolicy.FIRE_ONCE, nine.minus(Duration.ofDays(30)));

        Instant early = nine.minus(Duration.ofHours(1));
        SlotPlan atEarly = SlotPlan.of(s, early, early.plusSeconds(1), THRESHOLD, 5);
        assertEquals(List.of(), atEarly.steps, "the stored 08:00 fires nothing");
        assertEquals(nine, atEarly.next, "it moves to 09:00");
        SlotPlan atNine = SlotPlan.of(s, nine, nine.plusSeconds(1), THRESHOLD, 5);
        assertEquals(List.of(nine), fired(atNine));
        assertEquals(nineTomorrow, atNine.next);

        Instant late = nine.plus(Duration.ofHours(1));
        SlotPlan atLate = SlotPlan.of(s, late, late.plusSeconds(1), THRESHOLD, 5);
        assertEquals(List.of(late), fired(atLate), "09:00 passed unfired: the stored 10:00 fires in its place");
        assertEquals(nineTomorrow, atLate.next);
    }

    @Test
    void aScheduleThatCannotBeEvaluatedThrows() {
        Instant anchor = NOW.minusSeconds(10);
        Schedule goneZone = schedule("@every 1 second", "Mars/Olympus_Mons", ScheduleKind.INTERVAL, MisfirePolicy.FIRE_ONCE, anchor);
        assertEquals("timezone: 'Mars/Olympus_Mons' is not an IANA time zone (use a name such as 'Europe/Berlin' or 'America/New_York')",
                assertThrows(RuntimeException.class, () -> SlotPlan.of(goneZone, NOW, NOW, THRESHOLD, 5)).getMessage(),
                "the error names what cannot be evaluated");
        Schedule wrongKind = schedule("@every 1 second", "UTC", ScheduleKind.CRON, MisfirePolicy.FIRE_ONCE, anchor);
        assertThrows(IllegalStateException.class, () -> SlotPlan.of(wrongKind, NOW, NOW, THRESHOLD, 5));
    }

    @Test
    void aOneOffPastItsSlotHasNoNext() {
        Schedule s = schedule("@after 10 seconds", "UTC", ScheduleKind.ONCE, MisfirePolicy.FIRE_ONCE, NOW.minusSeconds(10));
        SlotPlan plan = SlotPlan.of(s, NOW, NOW, THRESHOLD, 5);
        assertEquals(List.of(NOW), fired(plan));
        assertNull(plan.next);
    }
}
