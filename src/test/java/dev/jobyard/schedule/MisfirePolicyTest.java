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

    private long afterDowntime(MisfirePolicy policy) {
        long id = Long.parseLong(Schedules.create(Map.of("schedule", "@every 10 seconds", "misfirePolicy", policy.name()))
                .getString("id"));
        sql.query("UPDATE jobyard.schedule SET anchor_at = now() - interval '105 seconds',"
                + " next_run_at = now() - interval '95 seconds' WHERE id = $1", Tuple.of(id));
        firer.fireDue();
        return id;
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
    void fireOnceFiresOneJobForAllTheMissedSlots() {
        long id = afterDowntime(MisfirePolicy.FIRE_ONCE);
        assertEquals(Map.of("FIRED", 1L), outcomes(id));
        assertTrue(nextRun(id).isAfter(OffsetDateTime.now().minusSeconds(1)), "the timetable goes on from now");
    }

    @Test
    void skipFiresNothingAndRecordsTheSkip() {
        long id = afterDowntime(MisfirePolicy.SKIP);
        assertEquals(Map.of("SKIPPED", 1L), outcomes(id));
        String reason = sql.query("SELECT reason FROM jobyard.schedule_slot WHERE schedule_id = $1", Tuple.of(id))
                .iterator().next().getString(0);
        assertEquals("missed 10 slots while no leader could fire them (misfire policy SKIP)", reason);
    }

    @Test
    void catchUpFiresTheMissedSlotsUpToTheLimit() {
        // test profile: jobyard.schedules.catch-up-limit=5
        long id = afterDowntime(MisfirePolicy.CATCH_UP);
        Map<String, Long> outcomes = Await.until(Duration.ofSeconds(5), () -> outcomes(id), o -> o.get("FIRED") != null,
                "the catch-up");
        assertEquals(5L, outcomes.get("FIRED"));
        assertEquals(1L, outcomes.get("SKIPPED"), "the older slots are recorded as dropped");
    }
}
