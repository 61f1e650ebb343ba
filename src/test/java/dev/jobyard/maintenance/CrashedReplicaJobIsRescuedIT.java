package dev.jobyard.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * Invariant 2 across real processes: a replica killed with {@code kill -9} mid-job stops renewing
 * the job's lease; the leader's rescuer notices the expiry and retries the job, which then runs on
 * the surviving replica.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class CrashedReplicaJobIsRescuedIT {

    private static final String CREATE = "mutation($input: JobInput!) { createJob(input: $input) { id } }";
    private static final String JOB = "query($id: ID!) { job(id: $id) { status attempts worker error errors { attempt error } } }";

    // Leases of seconds, so the crash is noticed within the test; the values are the point of the test.
    @RegisterExtension
    final JobyardCluster cluster = JobyardCluster.builder("crash").replicas(2)
            .with("jobyard.lease-timeout", "3s")
            .with("jobyard.heartbeat-interval", "1s")
            .with("jobyard.leader.lease-time", "3s")
            .with("jobyard.leader.renew-interval", "1s")
            .with("jobyard.leader.rescue-interval", "1s")
            .build();

    @Test
    void aJobOfAKilledReplicaIsRetriedOnTheSurvivorOnceItsLeaseExpires() {
        // given two replicas, one of them running an 8 s job that may be attempted twice
        cluster.start();
        ReplicaProcess client = cluster.replicas().get(0);
        String id = client.graphql(CREATE, Map.of("input", Map.of("queue", cluster.unique("crash"), "kind", "sleep",
                "payload", Map.of("ms", 8000), "maxAttempts", 2))).getString("createJob.id");
        Map<String, Object> running = Await.until(Duration.ofSeconds(20), () -> job(client, id),
                job -> "RUNNING".equals(job.get("status")), "job " + id + " to start");
        ReplicaProcess victim = cluster.replica((String) running.get("worker"));
        ReplicaProcess survivor = cluster.others(victim).get(0);

        // when the replica running it dies without a word
        victim.kill9();

        // then, after lease expiry (3 s), rescue (1 s, once a live leader holds the 3 s leadership lease),
        // retry backoff (up to 1 s) and the 8 s second attempt, the job completes on the survivor
        Map<String, Object> done = Await.until(Duration.ofSeconds(40), () -> job(survivor, id),
                job -> "COMPLETED".equals(job.get("status")) || "FAILED".equals(job.get("status")),
                "job " + id + " to be rescued and to finish");
        assertEquals("COMPLETED", done.get("status"), () -> "job " + id + ": " + done);
        assertEquals(2, done.get("attempts"));
        assertEquals(survivor.nodeId(), done.get("worker"));
        List<Map<String, Object>> errors = castList(done.get("errors"));
        assertEquals(1, errors.size(), () -> "one failed attempt expected: " + errors);
        assertEquals(1, errors.get(0).get("attempt"));
        String error = (String) errors.get(0).get("error");
        assertTrue(error.startsWith("lease expired") && error.contains(victim.nodeId()),
                () -> "attempt 1 should be blamed on " + victim.nodeId() + "'s expired lease: " + error);

        // and the database holds it once, archived, the way the API says
        Map<String, Object> archived = Jdbc.row(
                "SELECT status, attempt, worker, errors->0->>'error' AS first_error FROM jobyard.job_history WHERE id = ?",
                Long.parseLong(id));
        assertEquals(Map.of("status", "COMPLETED", "attempt", 2, "worker", survivor.nodeId(), "first_error", error),
                archived);
        assertEquals(0L, (Long) Jdbc.value("SELECT count(*) FROM jobyard.job WHERE id = ?", Long.parseLong(id)));
    }

    private static Map<String, Object> job(ReplicaProcess replica, String id) {
        return replica.graphql(JOB, Map.of("id", id)).getMap("job");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> castList(Object value) {
        return (List<Map<String, Object>>) value;
    }
}
