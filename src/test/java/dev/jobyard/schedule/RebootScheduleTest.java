package dev.jobyard.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.jobyard.database.Sql;
import dev.jobyard.testing.Await;
import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.Schedules;
import io.quarkus.test.junit.QuarkusTest;

/** An @reboot schedule fires once each time a replica becomes the leader. */
@QuarkusTest
class RebootScheduleTest {

    @Inject
    Sql sql;

    @AfterEach
    void removeSchedules() {
        Schedules.deleteCreated();
    }

    @Test
    void itFiresWhenLeadershipChangesHands() {
        var s = Schedules.create(Map.of("schedule", "@reboot"));
        String id = s.getString("id");
        assertEquals("REBOOT", s.getString("kind"));
        assertNull(s.getString("nextRunAt"));
        assertEquals(List.of(), Schedules.runs(id).getList("nodes"), "nothing fires until a leader starts");

        // A leader elsewhere whose lease ran out: this replica takes over with a new fencing token.
        sql.query("UPDATE jobyard.leader_lease SET node_id = 'a-replica-that-died', expires_at = now() - interval '1 second'");

        List<Object> runs = Await.until(Duration.ofSeconds(10), () -> Schedules.runs(id).getList("nodes"),
                r -> !r.isEmpty(), "the @reboot schedule to fire on the new leader");
        assertEquals(1, runs.size());
    }

    /**
     * Makes this replica start a new term: the lease row is handed to a leader elsewhere whose lease ran out, and
     * this replica takes it over with the next fencing token. Returns once it leads in that term.
     */
    private long newTerm() {
        long token = Jdbc.<Long>value("SELECT token FROM jobyard.leader_lease WHERE name = 'leader'");
        Jdbc.update("UPDATE jobyard.leader_lease SET node_id = 'a-replica-that-died', expires_at = now() - interval '1 second'");
        return Await.until(Duration.ofSeconds(10), () -> Jdbc.rows("SELECT token FROM jobyard.leader_lease"
                + " WHERE name = 'leader' AND node_id <> 'a-replica-that-died'").stream().map(r -> (Long) r.get("token"))
                .findFirst().orElse(token), t -> t > token, "this replica to take the lease in a new term");
    }

    private static int runs(String id) {
        return Schedules.runs(id).getList("nodes").size();
    }

    @Test
    void aFailedInsertAtTheStartOfATermIsRetriedAndHoldsUpNoOther() {
        List<String> ids = List.of(Schedules.create(Map.of("schedule", "@reboot")).getString("id"),
                Schedules.create(Map.of("schedule", "@reboot")).getString("id"),
                Schedules.create(Map.of("schedule", "@reboot")).getString("id"));
        String failing = Schedules.get(ids.get(1)).getString("name");
        // Jobs of the second schedule cannot be inserted for now.
        Jdbc.update("ALTER TABLE jobyard.job ADD CONSTRAINT reboot_test_fails CHECK (name <> '" + failing + "') NOT VALID");
        try {
            newTerm();
            Await.until(Duration.ofSeconds(10), () -> runs(ids.get(0)) + runs(ids.get(2)), n -> n == 2,
                    "the two other @reboot schedules to fire in the new term");
            assertEquals(0, runs(ids.get(1)));
        } finally {
            Jdbc.update("ALTER TABLE jobyard.job DROP CONSTRAINT IF EXISTS reboot_test_fails");
        }

        Await.until(Duration.ofSeconds(10), () -> runs(ids.get(1)), n -> n == 1, "the failed @reboot slot to be retried");
        for (String id : ids) {
            assertEquals(1, runs(id), "one job per term for schedule " + id);
        }
    }

    @Test
    void aRebootScheduleLockedWhenTheTermStartsFiresOnceReleased() throws Exception {
        String id = Schedules.create(Map.of("schedule", "@reboot")).getString("id");
        try (AutoCloseable held = Jdbc.holdInTransaction("SELECT id FROM jobyard.schedule WHERE id = ? FOR UPDATE",
                Long.parseLong(id))) {
            newTerm();
            // The firer handles the term's @reboot schedules before due ones: once this one-off fired, it tried.
            String now = Schedules.create(Map.of("schedule", "now")).getString("id");
            Await.until(Duration.ofSeconds(10), () -> runs(now), n -> n == 1, "the firer to go round in the new term");
            assertEquals(0, runs(id), "locked: not fired yet");
        }
        Await.until(Duration.ofSeconds(10), () -> runs(id), n -> n == 1, "the @reboot schedule to fire once released");
    }

    @Test
    void aSkippedRebootSlotIsNotARun() {
        String queue = dev.jobyard.testing.Jobs.uniqueQueue();
        String id = Schedules.create(Map.of("schedule", "@reboot", "maxInstances", 1, "queue", queue)).getString("id");
        dev.jobyard.testing.Jobs.pause(queue);
        dev.jobyard.testing.GraphQLClient.ok("mutation($id: ID!) { runSchedule(id: $id) { id } }", Map.of("id", id));
        String ranByHand = Schedules.get(id).getString("lastRunAt");
        try {
            newTerm();
            Await.until(Duration.ofSeconds(10), () -> Schedules.stats(id).getInt("skips"), n -> n == 1,
                    "the term's slot to be skipped: maxInstances 1, and the job run by hand still waits");
            assertEquals(ranByHand, Schedules.get(id).getString("lastRunAt"), "lastRunAt is the last slot that fired a job");
        } finally {
            Jdbc.update("DELETE FROM jobyard.job WHERE queue = ?", queue);
            dev.jobyard.testing.Jobs.resume(queue);
        }
    }
}
