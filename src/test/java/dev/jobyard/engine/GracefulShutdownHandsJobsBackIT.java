package dev.jobyard.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/**
 * SIGTERM (a rolling deploy) does not cost a job an attempt: what is still running when the grace
 * period ends goes back to PENDING with its attempt uncounted, before the replica exits, and
 * another replica runs it.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class GracefulShutdownHandsJobsBackIT {

    private static final Duration GRACE = Duration.ofSeconds(1);
    private static final String CREATE = "mutation($input: JobInput!) { createJob(input: $input) { id } }";
    private static final String JOB = "query($id: ID!) { job(id: $id) { status attempts worker errors { attempt error } } }";

    @RegisterExtension
    final JobyardCluster cluster = JobyardCluster.builder("drain").replicas(2)
            .with("jobyard.shutdown.grace-period", GRACE.toSeconds() + "s")
            .build();

    @Test
    void aJobOutlastingTheGracePeriodIsHandedBackUncountedAndRunsOnAnotherReplica() {
        // given a job with a single attempt, running on one of two replicas; 15 s outlasts the grace
        // period with room for the pause and the signal on a loaded machine, and is the second run's length
        cluster.start();
        String queue = cluster.unique("drain");
        ReplicaProcess client = cluster.replicas().get(0);
        String id = client.graphql(CREATE, Map.of("input", Map.of("queue", queue, "kind", "sleep",
                "payload", Map.of("ms", 15_000), "maxAttempts", 1))).getString("createJob.id");
        Map<String, Object> running = Await.until(Duration.ofSeconds(20), () -> job(client, id),
                job -> "RUNNING".equals(job.get("status")), "job " + id + " to start");
        ReplicaProcess leaving = cluster.replica((String) running.get("worker"));
        ReplicaProcess staying = cluster.others(leaving).get(0);
        // Paused, the queue holds the handed-back job still for inspection; the running attempt goes on.
        staying.graphql("mutation($q: String!) { pauseQueue(name: $q) { paused } }", Map.of("q", queue));

        // when its replica is told to stop
        leaving.sigterm();

        // then it exits in good order soon after the grace period
        int exit = leaving.waitExit(GRACE.plusSeconds(5));
        assertTrue(exit == 0 || exit == 143, "exit code " + exit);
        assertEquals(List.of(), leaving.logLinesContaining(" ERROR "), () -> "errors in the log of " + leaving);

        // and by then the job is pending again, the interrupted attempt not counted
        Map<String, Object> row = Jdbc.row(
                "SELECT status, attempt, worker, errors::text AS errors FROM jobyard.job WHERE id = ?", Long.parseLong(id));
        assertEquals("PENDING", row.get("status"), () -> "job row " + row);
        assertEquals(0, row.get("attempt"), () -> "job row " + row);
        assertNull(row.get("worker"), () -> "job row " + row);
        assertEquals("[]", row.get("errors"), () -> "job row " + row);
        Map<String, Object> pending = job(staying, id);
        assertEquals("PENDING", pending.get("status"));
        assertEquals(0, pending.get("attempts"));

        // and once the queue resumes, the other replica runs it to completion with its one attempt
        staying.graphql("mutation($q: String!) { resumeQueue(name: $q) { paused } }", Map.of("q", queue));
        Map<String, Object> done = Await.until(Duration.ofSeconds(40), () -> job(staying, id),
                job -> "COMPLETED".equals(job.get("status")) || "FAILED".equals(job.get("status")),
                "job " + id + " to finish on " + staying.nodeId());
        assertEquals("COMPLETED", done.get("status"), () -> "job " + id + ": " + done);
        assertEquals(1, done.get("attempts"));
        assertEquals(staying.nodeId(), done.get("worker"));
        assertEquals(List.of(), done.get("errors"));
    }

    private static Map<String, Object> job(ReplicaProcess replica, String id) {
        return replica.graphql(JOB, Map.of("id", id)).getMap("job");
    }
}
