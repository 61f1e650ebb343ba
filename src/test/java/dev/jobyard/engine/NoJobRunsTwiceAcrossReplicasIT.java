package dev.jobyard.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.jobyard.testing.Await;
import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.JobyardCluster;
import dev.jobyard.testing.ReplicaProcess;

/**
 * Two replicas claiming from one queue never take the same job: each job's handler runs once, on
 * one replica, and completes at its first attempt, while both replicas share the work.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class NoJobRunsTwiceAcrossReplicasIT {

    private static final int BATCHES = 6;
    private static final int BATCH_SIZE = 100;
    private static final String CREATE = "mutation($inputs: [JobInput!]!) { createJobs(inputs: $inputs) { id } }";

    // A lease that expired under CPU pressure would rightly run a job again (at-least-once); a long
    // one keeps this test about claiming alone.
    @RegisterExtension
    final JobyardCluster cluster = JobyardCluster.builder("claim").replicas(2)
            .with("jobyard.lease-timeout", "60s")
            .build();

    @Test
    void everyJobRunsExactlyOnceWhenTwoReplicasClaimFromOneQueue() {
        // given two replicas serving one queue
        List<ReplicaProcess> replicas = cluster.start();
        String queue = cluster.unique("claim");

        // when 600 jobs arrive in batches through both replicas; "log" jobs leave one job_log row per run
        List<Long> ids = new ArrayList<>();
        for (int batch = 0; batch < BATCHES; batch++) {
            List<Map<String, Object>> inputs = new ArrayList<>();
            for (int i = 0; i < BATCH_SIZE; i++) {
                inputs.add(Map.of("queue", queue, "kind", "log",
                        "payload", Map.of("message", "run of item " + (batch * BATCH_SIZE + i))));
            }
            List<String> created = replicas.get(batch % replicas.size())
                    .graphql(CREATE, Map.of("inputs", inputs)).getList("createJobs.id");
            created.forEach(id -> ids.add(Long.parseLong(id)));
        }
        assertEquals(BATCHES * BATCH_SIZE, Set.copyOf(ids).size());

        // then every job is archived, and none is left active
        Await.until(Duration.ofSeconds(60),
                () -> (Long) Jdbc.value("SELECT count(*) FROM jobyard.job_history WHERE id = ANY(?)", ids),
                archived -> archived == ids.size(), ids.size() + " jobs to be archived");
        assertEquals(0L, (Long) Jdbc.value("SELECT count(*) FROM jobyard.job WHERE id = ANY(?)", ids));

        // and each completed at its first attempt
        assertEquals(List.of(), Jdbc.rows("""
                SELECT id, status, attempt, worker, errors FROM jobyard.job_history
                 WHERE id = ANY(?) AND (status <> 'COMPLETED' OR attempt <> 1 OR errors <> '[]')""", ids));

        // and each handler ran exactly once: one log line per job, written by attempt 1
        assertEquals(List.of(), Jdbc.rows("""
                SELECT j.id, count(l.id) AS runs, array_agg(l.attempt) AS attempts
                  FROM unnest(?::bigint[]) AS j(id) LEFT JOIN jobyard.job_log l ON l.job_id = j.id
                 GROUP BY j.id HAVING count(l.id) <> 1 OR bool_or(l.attempt <> 1)""", ids));

        // and both replicas took a share of the work
        Map<String, Long> perWorker = Jdbc.rows(
                "SELECT worker, count(*) AS jobs FROM jobyard.job_history WHERE id = ANY(?) GROUP BY worker", ids)
                .stream().collect(Collectors.toMap(r -> (String) r.get("worker"), r -> (Long) r.get("jobs")));
        assertEquals(new TreeSet<>(cluster.nodeIds()), new TreeSet<>(perWorker.keySet()),
                () -> "jobs per worker: " + perWorker);
    }
}
