package dev.jobyard.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.jobyard.database.Sql;
import dev.jobyard.testing.Await;
import dev.jobyard.testing.Schedules;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * After downtime, a schedule's missed slots follow its misfire policy. Downtime is simulated by moving
 * a schedule's timetable 95 s into the past: ten slots of an @every 10 seconds schedule were missed.
 */
@QuarkusTest
class MisfirePolicyTest {

    @Inject
    Sql sql;
    @Inject
    ScheduleFirer firer;

    @AfterEach
    void removeSchedules() {
        Schedules.deleteCreated();
    }

    /**
     * An @every 10 seconds schedule whose leader was away for {@code seconds}: its slots are 10 s apart from
     * {@code seconds} ago to 5 s ago. Those more than the 60 s threshold late are missed; the others are not.
     */
    private long afterDowntime(MisfirePolicy policy, int seconds) {
        long id = Long.parseLong(Schedules.create(Map.of("schedule", "@every 10 seconds", "misfirePolicy", policy.name()))
                .getString("id"));
        sql.query("UPDATE jobyard.schedule SET anchor_at = now() - make_interval(secs => $2 + 10),"
                + " next_run_at = now() - make_interval(secs => $2) WHERE id = $1", Tuple.of(id, seconds));
        fired(id);
        return id;
    }

    /** Fires the schedule's due slots here, or waits for the leader's firer if it took them first. */
    private void fired(long id) {
        firer.fireDue();
        Await.until(Duration.ofSeconds(10), () -> nextRun(id), next -> next.isAfter(OffsetDateTime.now().minusSeconds(2)),
                "the firer to move schedule " + id + " past its missed slots");
    }

    private Map<String, Long> outcomes(long id) {
        Map<String, Long> counts = new HashMap<>();
        for (Row row : sql.query("SELECT outcome, count(*) AS n FROM jobyard.schedule_slot WHERE schedule_id = $1 GROUP BY outcome",
                Tuple.of(id))) {
            counts.put(row.getString("outcome"), row.getLong("n"));
        }
        return counts;
    }

    private OffsetDateTime nextRun(long id) {
        return sql.query("SELECT next_run_at FROM jobyard.schedule WHERE id = $1", Tuple.of(id)).iterator().next()
                .getOffsetDateTime(0);
    }

    @Test
    void fireOnceFiresOneJobForTheMissedSlotsAndEachSlotWithinTheThreshold() {
        // 95 s down: slots 95, 85, 75, 65 s late are missed; 55 .. 5 s late are not.
        long id = afterDowntime(MisfirePolicy.FIRE_ONCE, 95);
        assertEquals(Map.of("FIRED", 1L + 6L), outcomes(id));
        assertTrue(nextRun(id).isAfter(OffsetDateTime.now().minusSeconds(1)), "the timetable goes on from now");
    }

    @Test
    void skipSkipsOnlyTheSlotsLaterThanTheThreshold() {
        long id = afterDowntime(MisfirePolicy.SKIP, 95);
        assertEquals(Map.of("SKIPPED", 1L, "FIRED", 6L), outcomes(id), "slots up to 60 s late are not missed: they fire");
        String reason = sql.query("SELECT reason FROM jobyard.schedule_slot WHERE schedule_id = $1 AND outcome = 'SKIPPED'",
                Tuple.of(id)).iterator().next().getString(0);
        assertEquals("missed 4 slots while no leader could fire them (misfire policy SKIP)", reason);
    }

    @Test
    void catchUpFiresTheMissedSlotsUpToTheLimit() {
        // test profile: jobyard.schedules.catch-up-limit=5. 155 s down: 10 slots missed, 6 not.
        long id = afterDowntime(MisfirePolicy.CATCH_UP, 155);
        Map<String, Long> outcomes = outcomes(id);
        assertEquals(5L + 6L, outcomes.get("FIRED"));
        assertEquals(1L, outcomes.get("SKIPPED"), "the older slots are recorded as dropped");
    }

    @Test
    void catchUpAfterThirteenDaysDownFiresTheLatestMissedSlots() {
        long id = Long.parseLong(Schedules.create(Map.of("schedule", "@every 1 second", "misfirePolicy", "CATCH_UP"))
                .getString("id"));
        sql.query("UPDATE jobyard.schedule SET anchor_at = date_trunc('second', now()) - interval '13 days',"
                + " next_run_at = date_trunc('second', now()) - interval '13 days' + interval '1 second' WHERE id = $1",
                Tuple.of(id));
        fired(id);
        Schedules.pause(String.valueOf(id));

        OffsetDateTime oldestFired = sql.query("SELECT min(slot_at) FROM jobyard.schedule_slot WHERE schedule_id = $1"
                + " AND outcome = 'FIRED'", Tuple.of(id)).iterator().next().getOffsetDateTime(0);
        assertTrue(oldestFired.isAfter(OffsetDateTime.now().minusSeconds(60 + 5 + 30)),
                "the five latest missed slots fire, not the oldest ones: the oldest fired was " + oldestFired);
        String reason = sql.query("SELECT reason FROM jobyard.schedule_slot WHERE schedule_id = $1 AND outcome = 'SKIPPED'",
                Tuple.of(id)).iterator().next().getString(0);
        assertTrue(reason.matches("11231\\d\\d missed slots older than the catch-up limit were dropped"), reason);
    }
}
