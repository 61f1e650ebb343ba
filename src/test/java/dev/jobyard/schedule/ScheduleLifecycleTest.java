package dev.jobyard.schedule;

import static dev.jobyard.testing.GraphQLClient.execute;
import static dev.jobyard.testing.GraphQLClient.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Await;
import dev.jobyard.testing.Schedules;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Creating, reading, changing, pausing, resuming and deleting schedules; bad input changes nothing. */
@QuarkusTest
class ScheduleLifecycleTest {

    @jakarta.inject.Inject
    dev.jobyard.database.Sql sql;
    @jakarta.inject.Inject
    ScheduleFirer firer;

    @org.junit.jupiter.api.AfterEach
    void removeSchedules() {
        Schedules.deleteCreated();
    }

    private static final String CREATE = "mutation($in: ScheduleInput!) { createSchedule(input: $in) { id } }";

    @Test
    void aCronScheduleKnowsItsNextRunAndCanBeFoundByIdOrName() {
        JsonPath s = Schedules.create(Map.of("schedule", "0 3 * * *", "timezone", "Europe/Berlin"));

        assertEquals("CRON", s.getString("kind"));
        assertEquals("ACTIVE", s.getString("status"));
        assertEquals("FIRE_ONCE", s.getString("misfirePolicy"));
        OffsetDateTime next = OffsetDateTime.parse(s.getString("nextRunAt"));
        assertTrue(next.isAfter(OffsetDateTime.now()));
        assertEquals(3, next.atZoneSameInstant(java.time.ZoneId.of("Europe/Berlin")).getHour());
        assertEquals(s.getString("id"), ok("query($n: String) { schedule(name: $n) { id } }",
                Map.of("n", s.getString("name"))).getString("schedule.id"));
    }

    @Test
    void updatingTheExpressionRecomputesTheNextRun() {
        JsonPath s = Schedules.create(Map.of("schedule", "0 3 * * *"));

        JsonPath updated = ok("mutation($id: ID!) { updateSchedule(id: $id, input: {schedule: \"@yearly\", description: \"new\"}) { kind nextRunAt schedule } }",
                Map.of("id", s.getString("id"))).setRootPath("data.updateSchedule");

        assertEquals("@yearly", updated.getString("schedule"));
        OffsetDateTime next = OffsetDateTime.parse(updated.getString("nextRunAt"));
        assertEquals(1, next.getDayOfYear());
        assertEquals(0, next.getHour());
    }

    @Test
    void pauseAndResumeOneOrAll() {
        String a = Schedules.create(Map.of("schedule", "@hourly")).getString("id");
        String b = Schedules.create(Map.of("schedule", "@daily")).getString("id");

        List<String> paused = ok("mutation($id: ID) { pauseSchedule(id: $id) { id status nextRunAt } }", Map.of("id", a))
                .getList("pauseSchedule.status");
        assertEquals(List.of("PAUSED"), paused);
        assertNull(Schedules.get(a).getString("nextRunAt"), "a paused schedule has no next run");

        List<Map<String, Object>> all = ok("mutation { pauseSchedule { id status } }").getList("pauseSchedule");
        assertTrue(all.stream().anyMatch(m -> b.equals(m.get("id"))), "pausing all includes " + b);
        assertEquals("PAUSED", Schedules.get(b).getString("status"));

        List<Map<String, Object>> resumed = ok("mutation { resumeSchedule { id } }").getList("resumeSchedule");
        assertTrue(resumed.size() >= 2);
        assertEquals("ACTIVE", Schedules.get(a).getString("status"));
        assertNotNull(Schedules.get(a).getString("nextRunAt"));
    }

    @Test
    void deletingRemovesTheSchedule() {
        String id = Schedules.create(Map.of("schedule", "@daily")).getString("id");
        Schedules.delete(id);
        assertEquals("NOT_FOUND", execute("query($id: ID) { schedule(id: $id) { id } }", Map.of("id", id))
                .getString("errors[0].extensions.code"));
    }

    @Test
    void aDuplicateNameIsAConflict() {
        String name = Schedules.uniqueName();
        Schedules.create(Map.of("name", name, "schedule", "@daily"));
        JsonPath result = execute(CREATE, Map.of("in", Map.of("name", name, "schedule", "@hourly", "jobKind", "noop")));
        assertEquals("CONFLICT", result.getString("errors[0].extensions.code"));
    }

    @Test
    void badInputIsRejectedWithTheField() {
        assertBadInput(Map.of("schedule", "61 * * * *"), "input.schedule: minute field '61' is out of range 0-59");
        assertBadInput(Map.of("schedule", "@daily", "timezone", "Mars/Base"), "input.timezone: 'Mars/Base' is not an IANA time zone");
        assertBadInput(Map.of("schedule", "@daily", "maxInstances", 0), "input.maxInstances: must be at least 1");
        assertBadInput(Map.of("schedule", "@daily", "jobKind", "nope"), "input.jobKind: no handler serves kind 'nope'");
        assertBadInput(Map.of("schedule", "@daily", "priority", 2000), "input.priority: must be between -1000 and 1000");
        assertBadInput(Map.of("schedule", "2001-01-01T00:00:00Z"), "input.schedule: '2001-01-01T00:00:00Z' is in the past");
    }

    private static void assertBadInput(Map<String, Object> fields, String message) {
        String name = Schedules.uniqueName();
        Map<String, Object> input = new java.util.HashMap<>(Map.of("name", name, "jobKind", "noop"));
        input.putAll(fields);
        JsonPath result = execute(CREATE, Map.of("in", input));
        assertEquals("BAD_USER_INPUT", result.getString("errors[0].extensions.code"), result.prettify());
        assertTrue(result.getString("errors[0].message").startsWith(message), result.getString("errors[0].message"));
        assertEquals("NOT_FOUND", execute("query($n: String) { schedule(name: $n) { id } }", Map.of("n", name))
                .getString("errors[0].extensions.code"), "nothing was created");
    }

    @Test
    void unknownIdsAreNotFound() {
        assertEquals("NOT_FOUND", execute("mutation { deleteSchedule(id: \"987654321\") { id } }")
                .getString("errors[0].extensions.code"));
        assertEquals("NOT_FOUND", execute("mutation { runSchedule(id: \"987654321\") { id } }")
                .getString("errors[0].extensions.code"));
        assertEquals("BAD_USER_INPUT", execute("mutation { runSchedule(id: \"-4\") { id } }")
                .getString("errors[0].extensions.code"));
    }

    @Test
    void validateScheduleExplainsWithoutSaving() {
        JsonPath ok = ok("{ validateSchedule(expression: \"*/15 * * * *\", timezone: \"UTC\") { valid kind error nextRuns } }")
                .setRootPath("data.validateSchedule");
        assertTrue(ok.getBoolean("valid"));
        assertEquals("CRON", ok.getString("kind"));
        List<String> runs = ok.getList("nextRuns");
        assertEquals(5, runs.size());
        assertEquals(15, java.time.Duration.between(OffsetDateTime.parse(runs.get(0)), OffsetDateTime.parse(runs.get(1))).toMinutes());

        JsonPath bad = ok("{ validateSchedule(expression: \"* * *\") { valid error nextRuns } }").setRootPath("data.validateSchedule");
        assertEquals(false, bad.getBoolean("valid"));
        assertTrue(bad.getString("error").startsWith("schedule:"), bad.getString("error"));
    }

    @Test
    void nextRunsMergesActiveSchedulesInTimeOrder() {
        String id = Schedules.create(Map.of("schedule", "@every 7 seconds")).getString("id");
        List<Map<String, Object>> mine = ok("query($id: ID) { nextRuns(count: 3, scheduleId: $id) { scheduleId at } }",
                Map.of("id", id)).getList("nextRuns");
        assertEquals(3, mine.size());
        List<Map<String, Object>> all = ok("{ nextRuns(count: 20) { scheduleId at } }").getList("nextRuns");
        List<OffsetDateTime> times = all.stream().map(m -> OffsetDateTime.parse((String) m.get("at"))).toList();
        for (int i = 1; i < times.size(); i++) {
            assertTrue(!times.get(i).isBefore(times.get(i - 1)), "nextRuns out of order: " + times);
        }
        Schedules.delete(id);
    }

    @Test
    void aOneOffRunByHandKeepsItsPlannedRunThroughPauseAndResume() {
        String id = Schedules.create(Map.of("schedule", "@after 1 hour")).getString("id");
        String planned = Schedules.get(id).getString("nextRunAt");
        ok("mutation($id: ID!) { runSchedule(id: $id) { id } }", Map.of("id", id));

        Schedules.pause(id);
        Schedules.resume(id);

        assertEquals(planned, Schedules.get(id).getString("nextRunAt"), "the planned run is still planned");
        assertEquals(List.of(planned), ok("query($id: ID) { nextRuns(count: 5, scheduleId: $id) { at } }", Map.of("id", id))
                .getList("nextRuns.at"));
    }

    @Test
    void aOneOffSkippedByItsMisfirePolicyStaysSpentThroughPauseAndResume() {
        String id = Schedules.create(Map.of("schedule", "@after 1 hour", "misfirePolicy", "SKIP")).getString("id");
        // Its hour passed two minutes ago while no leader ran: missed, so skipped.
        sql.query("UPDATE jobyard.schedule SET anchor_at = now() - interval '62 minutes',"
                + " next_run_at = now() - interval '2 minutes' WHERE id = $1", Tuple.of(Long.parseLong(id)));
        firer.fireDue();
        Await.until(Duration.ofSeconds(10), () -> Schedules.stats(id).getInt("skips"), n -> n == 1, "the missed slot skipped");

        Schedules.pause(id);
        Schedules.resume(id);

        assertNull(sql.query("SELECT next_run_at FROM jobyard.schedule WHERE id = $1", Tuple.of(Long.parseLong(id)))
                .iterator().next().getOffsetDateTime(0), "nothing left to fire");
        assertEquals(0, Schedules.stats(id).getInt("runs"));
    }
}
