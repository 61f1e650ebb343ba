package dev.jobyard.leadership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.jobyard.testing.Await;
import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.JobyardCluster;
import dev.jobyard.testing.ReplicaProcess;
import io.restassured.path.json.JsonPath;

/**
 * The rule of terms: the fencing token changes only when a different node id takes the lease. A replica that
 * takes its own lapsed lease back, after a freeze longer than the lease or a graceful restart with the same
 * node id, continues its term: same token, same start, no @reboot, no "now the leader", no leader change counted.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class LeaderTermIT {

    @RegisterExtension
    final JobyardCluster cluster = JobyardCluster.builder("term").replicas(1)
            .with("jobyard.leader.lease-time", "3s")
            .with("jobyard.leader.renew-interval", "1s")
            .with("jobyard.heartbeat-interval", "1s")
            .build();

    @Test
    void aFrozenReplicaAndARestartWithTheSameNodeIdKeepTheirTerm() {
        cluster.start();
        ReplicaProcess replica = cluster.replicas().get(0);
        String queue = cluster.unique("term");
        JsonPath term = awaitLeading(replica);
        String reboot = create(replica, "@reboot", queue);
        try {
            // Frozen for longer than its lease: the lease runs out in the database, and no one else takes it.
            replica.sigstop();
            Await.until(Duration.ofSeconds(20), () -> Jdbc.<Boolean>value(
                    "SELECT expires_at < now() - interval '2 seconds' FROM jobyard.leader_lease WHERE name = 'leader'"),
                    Boolean.TRUE::equals, "the frozen replica's lease to run out");
            replica.sigcont();

            assertSameTerm(term, awaitLeading(replica));
            goRound(replica, queue);
            assertEquals(0, jobsOf(reboot), "the same term owes no @reboot slot");
            assertEquals(1, replica.logLinesContaining("is now the leader").size(), "one term, one announcement");
            // At least once: under load a renewal can come after the replica's own reckoning of its lease has
            // lapsed again, which is the same term once more.
            assertFalse(replica.logLinesContaining("leads again in its term").isEmpty());
            assertEquals(1.0, replica.metric("jobyard_leader_changes_total"));
            assertEquals(1.0, replica.metric("jobyard_leader"));

            // A graceful restart with the same node id: the lease is released and taken back by the same id.
            ReplicaProcess again = cluster.restartGracefully(replica);
            assertSameTerm(term, awaitLeading(again));
            goRound(again, queue);
            assertEquals(0, jobsOf(reboot), "a restart with the same node id is no change of hands");
            assertEquals(List.of(), again.logLinesContaining("is now the leader"));
            assertFalse(again.logLinesContaining("leads again in its term").isEmpty());
            assertEquals(0.0, again.metric("jobyard_leader_changes_total"));
            assertEquals(1.0, again.metric("jobyard_leader"));
        } finally {
            Jdbc.update("DELETE FROM jobyard.schedule WHERE job_queue = ?", queue);
        }
    }

    private static JsonPath awaitLeading(ReplicaProcess replica) {
        return Await.until(Duration.ofSeconds(30), () -> replica.graphql("{ leader { nodeId since fencingToken } }"),
                l -> replica.nodeId().equals(l.getString("leader.nodeId")), replica.nodeId() + " to lead");
    }

    private static void assertSameTerm(JsonPath before, JsonPath after) {
        assertEquals(before.getString("leader.fencingToken"), after.getString("leader.fencingToken"), "fencing token");
        assertEquals(before.getString("leader.since"), after.getString("leader.since"), "start of the term");
    }

    private static String create(ReplicaProcess replica, String schedule, String queue) {
        return replica.graphql("mutation($in: ScheduleInput!) { createSchedule(input: $in) { id } }",
                Map.of("in", Map.of("name", queue + "-" + System.nanoTime(), "schedule", schedule, "jobKind", "noop",
                        "queue", queue))).getString("createSchedule.id");
    }

    /** The firer handles a term's @reboot schedules before due ones: once a new one-off fired, it has been round. */
    private static void goRound(ReplicaProcess replica, String queue) {
        String now = create(replica, "now", queue);
        Await.until(Duration.ofSeconds(20), () -> jobsOf(now), n -> n == 1, "the firer to go round");
    }

    private static long jobsOf(String scheduleId) {
        return Jdbc.<Long>value("SELECT count(*) FROM jobyard.schedule_slot WHERE schedule_id = ? AND outcome = 'FIRED'",
                Long.parseLong(scheduleId));
    }
}
