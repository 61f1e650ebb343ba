package dev.jobyard.durable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.OffsetDateTime;
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
 * Durable tasks across real replica processes: a kill -9 in the middle of a step runs only that step again; a
 * SIGTERM of every replica during a sleep, then a restart, does not repeat the sleep; a parent on one replica
 * is woken by its child's end on the other (a failing child: DurableChildrenTest).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class DurableReplicasIT {

    private static final String CREATE = "mutation($input: JobInput!) { createJob(input: $input) { id } }";
    private static final String JOB = "query($id: ID!) { job(id: $id) { status attempts worker error result } }";

    @RegisterExtension
    final JobyardCluster cluster = JobyardCluster.builder("durable").replicas(2)
            .shortTimings(Duration.ofSeconds(3))
            .build();

    private static String script(ReplicaProcess via, String queue, int maxAttempts, List<Map<String, Object>> ops) {
        return via.graphql(CREATE, Map.of("input", Map.of("kind", "durable_script", "queue", queue,
                "maxAttempts", maxAttempts, "payload", Map.of("ops", ops)))).getString("createJob.id");
    }

    private static long logged(String id, String message) {
        return Jdbc.<Long>value("SELECT count(*) FROM jobyard.job_log WHERE job_id = ? AND message = ?",
                Long.parseLong(id), message);
    }

    private static Map<String, Object> awaitEnd(ReplicaProcess via, String id, Duration timeout) {
        return Await.until(timeout, () -> via.graphql(JOB, Map.of("id", id)).<String, Object>getMap("job"),
                job -> List.of("COMPLETED", "FAILED", "CANCELLED").contains(job.get("status")), "job " + id + " to end");
    }

    @Test
    void aKill9MidStepRunsOnlyThatStepAgain() {
        cluster.start();
        String queue = cluster.unique("crash");
        ReplicaProcess client = cluster.replicas().get(0);
        String id = script(client, queue, 3, List.of(
                Map.of("op", "step", "key", "a"),
                Map.of("op", "step", "key", "b", "workMs", 8000),
                Map.of("op", "step", "key", "c")));
        Await.until(Duration.ofSeconds(30), () -> logged(id, "step b ran"), n -> n == 1, "step b to start");
        String worker = Jdbc.value("SELECT worker FROM jobyard.job WHERE id = ?", Long.parseLong(id));
        ReplicaProcess victim = cluster.replica(worker);
        ReplicaProcess survivor = cluster.others(victim).get(0);

        victim.kill9();

        Map<String, Object> done = awaitEnd(survivor, id, Duration.ofSeconds(90));
        assertEquals("COMPLETED", done.get("status"), () -> "job " + done);
        assertEquals(survivor.nodeId(), done.get("worker"));
        assertEquals(1, logged(id, "step a ran"), "a was saved before the kill");
        assertEquals(2, logged(id, "step b ran"), "b was cut by the kill and ran again");
        assertEquals(1, logged(id, "step c ran"));
    }

    @Test
    void aSigtermOfEveryReplicaDuringASleepAndARestartDoNotRepeatTheSleep() {
        cluster.start();
        String queue = cluster.unique("sleep");
        ReplicaProcess client = cluster.replicas().get(0);
        String id = script(client, queue, 1, List.of(
                Map.of("op", "step", "key", "a"),
                Map.of("op", "sleep", "key", "s", "ms", 6000),
                Map.of("op", "step", "key", "b")));
        Await.until(Duration.ofSeconds(30), () -> Jdbc.<Long>value(
                "SELECT count(*) FROM jobyard.durable_wait WHERE job_id = ? AND type = 'sleep'", Long.parseLong(id)),
                n -> n == 1, "the task to sleep");
        OffsetDateTime until = OffsetDateTime.parse(Jdbc.<String>value(
                "SELECT result->>'until' FROM jobyard.durable_step WHERE job_id = ? AND key = 's'", Long.parseLong(id)));

        for (ReplicaProcess replica : cluster.replicas()) {
            replica.sigterm();
        }
        for (ReplicaProcess replica : cluster.replicas()) {
            int exit = replica.waitExit(Duration.ofSeconds(30));
            assertTrue(exit == 0 || exit == 143, "exit code " + exit);
        }
        List<ReplicaProcess> restarted = cluster.replicas().stream().map(cluster::restart).toList();
        restarted.forEach(r -> r.waitReady(Duration.ofSeconds(90)));

        Map<String, Object> done = awaitEnd(restarted.get(0), id, Duration.ofSeconds(60));
        assertEquals("COMPLETED", done.get("status"), () -> "job " + done);
        assertEquals(1, done.get("attempts"), "neither the sleep nor the shutdown counted an attempt");
        assertEquals(1, logged(id, "step a ran"));
        assertEquals(1, logged(id, "step b ran"));
        assertEquals(1L, Jdbc.<Long>value("SELECT count(*) FROM jobyard.durable_step WHERE job_id = ? AND type = 'sleep'",
                Long.parseLong(id)), "one sleep saved");
        assertTrue(Jdbc.<Boolean>value("SELECT completed_at >= ?::timestamptz FROM jobyard.job_history WHERE id = ?",
                until.toString(), Long.parseLong(id)), "the sleep was kept to its end, " + until);
    }

    @Test
    void aParentOnOneReplicaIsWokenByItsChildOnTheOther() {
        cluster.start();
        ReplicaProcess first = cluster.replicas().get(0);
        ReplicaProcess second = cluster.replicas().get(1);
        String parents = cluster.unique("parents");
        String children = cluster.unique("children");
        // The child's queue is paused until only the second replica can take it.
        first.graphql("mutation($q: String!) { pauseQueue(name: $q) { paused } }", Map.of("q", children));
        // While the second replica is frozen, only the first can run the parent up to its wait.
        second.sigstop();
        String parent;
        try {
            parent = script(first, parents, 3, List.of(Map.of("op", "invoke", "key", "c", "kind", "echo",
                    "queue", children, "payload", Map.of("price", 7))));
            Await.until(Duration.ofSeconds(30), () -> first.graphql(JOB, Map.of("id", parent)).getString("job.status"),
                    "WAITING"::equals, "the parent to wait for its child");
        } finally {
            second.sigcont();
        }
        long child = Jdbc.<Long>value("SELECT child_id FROM jobyard.durable_child WHERE parent_id = ?", Long.parseLong(parent));
        first.sigstop();
        try {
            second.graphql("mutation($q: String!) { resumeQueue(name: $q) { paused } }", Map.of("q", children));
            Await.until(Duration.ofSeconds(60), () -> Jdbc.<Long>value(
                    "SELECT count(*) FROM jobyard.job_history WHERE id = ? AND status = 'COMPLETED'", child),
                    n -> n == 1, "the child to complete on " + second.nodeId());
        } finally {
            first.sigcont();
        }

        Map<String, Object> done = awaitEnd(second, parent, Duration.ofSeconds(60));
        assertEquals("COMPLETED", done.get("status"), () -> "job " + done);
        assertEquals(second.nodeId(), Jdbc.value("SELECT worker FROM jobyard.job_history WHERE id = ?", child),
                "the child ran on the replica that did not run the parent");
        assertEquals(Map.of("c", Map.of("price", 7)), done.get("result"));
        assertEquals(1, done.get("attempts"), "waiting counted no attempt");
    }
}
