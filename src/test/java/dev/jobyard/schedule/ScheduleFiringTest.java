package dev.jobyard.schedule;

import static dev.jobyard.testing.GraphQLClient.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.jobyard.database.Sql;
import dev.jobyard.testing.Await;
import dev.jobyard.testing.Jobs;
import dev.jobyard.testing.Schedules;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Schedules fire their slots as jobs: intervals at their spacing, manual ones on demand, each slot once. */
@QuarkusTest
class ScheduleFiringTest {

    @Inject
    Sql sql;

    @AfterEach
    void removeSchedules() {
        Schedules.deleteCreated();
    }

    private List<OffsetDateTime> firedSlots(String scheduleId) {
        List<OffsetDateTime> slots = new java.util.ArrayList<>();
        for (Row row : sql.query("SELECT slot_at FROM jobyard.schedule_slot WHERE schedule_id = $1 AND outcome = 'FIRED'"
                + " ORDER BY slot_at", Tuple.of(Long.parseLong(scheduleId)))) {
            slots.add(row.getOffsetDateTime("slot_at"));
        }
        return slots;
    }

    @Test
    void anIntervalFiresEverySlotAtItsSpacing() {
        String id = Schedules.create(Map.of("schedule", "@every 1 second")).getString("id");

        List<OffsetDateTime> slots = Await.until(Duration.ofSeconds(15), () -> firedSlots(id), s -> s.size() >= 4,
                "four slots of schedule " + id);
        Schedules.pause(id);

        for (int i = 1; i < slots.size(); i++) {
            assertEquals(Duration.ofSeconds(1), Duration.between(slots.get(i - 1), slots.get(i)), "slots " + slots);
        }
        List<Map<String, Object>> runs = Await.until(Duration.ofSeconds(10), () -> Schedules.runs(id).getList("nodes"),
                r -> r.size() >= slots.size() && r.stream().allMatch(j -> "COMPLETED".equals(((Map<?, ?>) j).get("status"))),
                "the jobs of " + id + " to complete");
        assertEquals(firedSlots(id).size(), runs.size(), "one job per fired slot");
        assertTrue(Schedules.stats(id).getInt("successes") >= 4);
        assertTrue(Schedules.get(id).getString("lastRunAt") != null);
    }

    @Test
    void aManualScheduleRunsOnlyWhenTriggered() {
        var s = Schedules.create(Map.of("jobKind", "echo", "payload", Map.of("from", "manual")));
        String id = s.getString("id");
        assertEquals("MANUAL", s.getString("kind"));
        assertNull(s.getString("nextRunAt"));

        String jobId = ok("mutation($id: ID!) { runSchedule(id: $id) { id scheduleId status } }", Map.of("id", id))
                .getString("runSchedule.id");

        var job = Jobs.awaitStatus(jobId, "COMPLETED");
        assertEquals("manual", job.getString("result.from"));
        assertEquals(List.of(jobId), Schedules.runs(id).getList("nodes.id"));
        var stats = Await.until(Duration.ofSeconds(5), () -> Schedules.stats(id), st -> st.getInt("successes") == 1,
                "stats to count the run");
        assertEquals(1, stats.getInt("runs"));
        assertEquals(0, stats.getInt("failures"));
    }

    @Test
    void aPausedScheduleCanStillBeRunByHand() {
        String id = Schedules.create(Map.of("schedule", "@daily")).getString("id");
        Schedules.pause(id);
        String jobId = ok("mutation($id: ID!) { runSchedule(id: $id) { id } }", Map.of("id", id)).getString("runSchedule.id");
        Jobs.awaitStatus(jobId, "COMPLETED");
    }

    @Test
    void maxInstancesSkipsSlotsWhileItsJobsRun() {
        String id = Schedules.create(Map.of("schedule", "@every 1 second", "jobKind", "sleep",
                "payload", Map.of("ms", 3000), "maxInstances", 1)).getString("id");

        var stats = Await.until(Duration.ofSeconds(15), () -> Schedules.stats(id), st -> st.getInt("skips") >= 2,
                "skipped slots of " + id);
        Schedules.pause(id);

        assertTrue(stats.getInt("runs") >= 1);
        long reasons = sql.query("SELECT count(*) FROM jobyard.schedule_slot WHERE schedule_id = $1 AND outcome = 'SKIPPED'"
                + " AND reason LIKE 'maxInstances 1 reached%'", Tuple.of(Long.parseLong(id))).iterator().next().getLong(0);
        assertTrue(reasons >= 2, "each skip records why");
    }

    @Test
    void aSelfDestructingScheduleGoesAfterItsFirstSuccess() {
        String id = Schedules.create(Map.of("schedule", "@every 1 second", "selfDestruct", true)).getString("id");

        Await.until(Duration.ofSeconds(15), () -> dev.jobyard.testing.GraphQLClient
                .execute("query($id: ID) { schedule(id: $id) { id } }", Map.of("id", id))
                .getString("errors[0].extensions.code"), "NOT_FOUND"::equals, "schedule " + id + " to self-destruct");
        long completed = sql.query("SELECT count(*) FROM jobyard.job_history WHERE schedule_id = $1 AND status = 'COMPLETED'",
                Tuple.of(Long.parseLong(id))).iterator().next().getLong(0);
        assertTrue(completed >= 1);
    }

    @Test
    void anExclusiveJobRunsAlone() {
        String exclusive = Schedules.create(Map.of("jobKind", "sleep", "payload", Map.of("ms", 1500), "exclusive", true))
                .getString("id");
        String other = Schedules.create(Map.of()).getString("id");

        String first = ok("mutation($id: ID!) { runSchedule(id: $id) { id } }", Map.of("id", exclusive)).getString("runSchedule.id");
        Jobs.awaitStatus(first, "RUNNING");
        String second = ok("mutation($id: ID!) { runSchedule(id: $id) { id } }", Map.of("id", other)).getString("runSchedule.id");

        var a = Jobs.awaitStatus(first, "COMPLETED");
        var b = Jobs.awaitStatus(second, "COMPLETED");
        assertTrue(!OffsetDateTime.parse(b.getString("startedAt")).isBefore(OffsetDateTime.parse(a.getString("completedAt"))),
                "the other schedule's job started while the exclusive one ran");
    }

    @Test
    void aOneOffFinerThanAMicrosecondFiresOnceAndIsSpent() {
        // A timestamp with 7 fractional digits, 2 s from now: the database keeps 6.
        java.time.Instant at = java.time.Instant.now().plusSeconds(2).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                .plusNanos(123_456_700);
        String text = at.toString().replace(".123456700Z", ".1234567Z");
        var s = Schedules.create(Map.of("schedule", text));
        String id = s.getString("id");
        OffsetDateTime stored = at.minusNanos(700).atOffset(java.time.ZoneOffset.UTC);

        assertEquals(stored, OffsetDateTime.parse(s.getString("nextRunAt")));
        assertEquals(List.of(stored), ok("query($id: ID) { nextRuns(count: 5, scheduleId: $id) { at } }", Map.of("id", id))
                .getList("nextRuns.at").stream().map(t -> OffsetDateTime.parse((String) t)).toList(), "one run, as stored");

        Await.until(Duration.ofSeconds(15), () -> Schedules.get(id), g -> g.getString("nextRunAt") == null,
                "the one-off to be spent after its slot");
        assertEquals(List.of(stored), firedSlots(id));
    }

    @Test
    void theFirerBacksOffWhileADueScheduleIsLockedElsewhere() throws Exception {
        // A one-off slot 2 s ahead, locked at once: it falls due while locked. (Making a row due and then locking
        // it left a window in which a firer kept awake by other tests' schedules could fire it first.)
        java.time.OffsetDateTime due = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(2);
        String id = Schedules.create(Map.of("schedule", due.toString())).getString("id");
        try (AutoCloseable held = dev.jobyard.testing.Jdbc.holdInTransaction(
                "SELECT id FROM jobyard.schedule WHERE id = ? FOR UPDATE", Long.parseLong(id))) {
            Await.until(Duration.ofSeconds(10), () -> java.time.OffsetDateTime.now().isAfter(due.plus(Duration.ofMillis(200))),
                    passed -> passed, "the slot to fall due");
            Schedules.create(Map.of()); // its CREATED event wakes the firer, which finds the due row locked
            // What matters is what the firer does over a stretch of real time, so this one waits 4 s.
            long before = scansOfScheduleTable();
            long started = System.nanoTime();
            long after = Await.until(Duration.ofSeconds(20), this::scansOfScheduleTable,
                    scans -> System.nanoTime() - started > 4_000_000_000L, "4 s to pass");
            assertTrue(after - before < 100, "the firer asked for the locked row " + (after - before)
                    + " times in 4 s instead of backing off");
            assertEquals(List.of(), firedSlots(id), "the locked schedule did not fire");
        }
        Await.until(Duration.ofSeconds(10), () -> firedSlots(id), f -> f.size() == 1, "the schedule to fire once released");
    }

    /** Index and sequential scans of jobyard.schedule so far, as the statistics collector counts them. */
    private long scansOfScheduleTable() {
        return sql.query("SELECT coalesce(seq_scan, 0) + coalesce(idx_scan, 0) FROM pg_stat_user_tables"
                + " WHERE schemaname = 'jobyard' AND relname = 'schedule'").iterator().next().getLong(0);
    }
}
