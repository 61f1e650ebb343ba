package dev.jobyard.command.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.jobyard.testing.Await;
import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.JobyardCluster;
import dev.jobyard.testing.ReplicaProcess;
import dev.jobyard.testing.TestDatabase;

/**
 * Commands that need a replica of their own: {@code shutdown} stops the replica that runs it (and the job
 * is not run again), and COPY streams a CSV several times larger than the replica's whole heap.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class CommandsOnReplicasIT {

    private static final String CREATE = "mutation($input: JobInput!) { createJob(input: $input) { id } }";
    private static final String JOB = "query($id: ID!) { job(id: $id) { status attempts worker result error } }";

    @RegisterExtension
    final JobyardCluster cluster = JobyardCluster.builder("cmd").replicas(2)
            .with("jobyard.commands.shutdown.enabled", "true").build();

    @Test
    void aShutdownJobStopsItsReplicaGracefullyAndCompletesOnce() {
        // given two replicas that allow shutdown (it is off by default)
        cluster.start();
        ReplicaProcess client = cluster.replicas().get(0);
        String queue = cluster.unique("shutdown");

        // when one of them runs a shutdown job
        String id = client.graphql(CREATE, Map.of("input", Map.of("queue", queue, "kind", "shutdown")))
                .getString("createJob.id");

        // then that replica exits cleanly
        Map<String, Object> row = Await.until(Duration.ofSeconds(30),
                () -> Jdbc.rows("SELECT status, worker, attempt FROM jobyard.job_history WHERE id = ?", Long.parseLong(id)),
                rows -> !rows.isEmpty(), "job " + id + " in history").get(0);
        ReplicaProcess stopped = cluster.replica((String) row.get("worker"));
        int exit = stopped.waitExit(Duration.ofSeconds(30));
        assertEquals(0, exit, "exit code of " + stopped);
        assertEquals(List.of(), stopped.logLinesContaining(" ERROR "));
        // and the job is COMPLETED with one attempt, naming the replica, and is not run again by the survivor
        ReplicaProcess survivor = cluster.others(stopped).get(0);
        assertTrue(survivor.isAlive());
        Map<String, Object> job = survivor.graphql(JOB, Map.of("id", id)).getMap("job");
        assertEquals("COMPLETED", job.get("status"));
        assertEquals(1, job.get("attempts"));
        assertEquals(stopped.nodeId(), ((Map<?, ?>) job.get("result")).get("replica"));
        assertEquals(0L, (Long) Jdbc.value("SELECT count(*) FROM jobyard.job WHERE id = ?", Long.parseLong(id)));
    }

    @Test
    void copyStreamsAFileLargerThanTheReplicasHeap() throws Exception {
        // given a replica with a 64 MB heap and a CSV of a million rows of ~150 bytes (about 150 MB)
        Path dir = Files.createDirectories(Path.of("target", "command-it").toAbsolutePath());
        Path in = dir.resolve("big-" + UUID.randomUUID() + ".csv");
        String pad = "x".repeat(130);
        try (BufferedWriter out = Files.newBufferedWriter(in)) {
            for (int i = 1; i <= 1_000_000; i++) {
                out.write(i + "," + pad + "\n");
            }
        }
        long heap = 64L * 1024 * 1024;
        assertTrue(Files.size(in) > 2 * heap, "the file is more than twice the heap: " + Files.size(in));
        String table = "big_" + UUID.randomUUID().toString().substring(0, 8);
        Jdbc.update("CREATE TABLE public." + table + " (id int, pad text)");
        Map<String, String> settings = new LinkedHashMap<>(TestDatabase.target().quarkusConfig());
        settings.put("jobyard.commands.files.enabled", "true");
        settings.put("jobyard.commands.files.directories", dir.toString());
        Path out = dir.resolve("back-" + UUID.randomUUID() + ".csv");
        String nodeId = "cmd-heap-" + UUID.randomUUID().toString().substring(0, 6);
        try (ReplicaProcess replica = ReplicaProcess.launch(nodeId, List.of("-Xmx64m", "-XX:+UseSerialGC",
                "-XX:+ExitOnOutOfMemoryError"), settings, Path.of("target", "it-replicas", "CommandsOnReplicasIT"))) {
            replica.waitReady(Duration.ofSeconds(90));
            String queue = "copy-" + nodeId;

            // when the file is copied in and back out
            String load = replica.graphql(CREATE, Map.of("input", Map.of("queue", queue, "kind", "copy_from_file", "maxAttempts", 1,
                    "payload", Map.of("table", table, "format", "csv", "file", in.toString()))))
                    .getString("createJob.id");
            Map<String, Object> loaded = finished(replica, load);
            String dump = replica.graphql(CREATE, Map.of("input", Map.of("queue", queue, "kind", "copy_to_file", "maxAttempts", 1,
                    "payload", Map.of("query", "SELECT * FROM " + table + " ORDER BY id", "format", "csv",
                            "file", out.toString()))))
                    .getString("createJob.id");
            Map<String, Object> dumped = finished(replica, dump);

            // then both complete on that heap, and the round trip is exact
            assertEquals("COMPLETED", loaded.get("status"), () -> "load: " + loaded);
            assertEquals("COMPLETED", dumped.get("status"), () -> "dump: " + dumped);
            assertEquals(1_000_000, ((Map<?, ?>) loaded.get("result")).get("rows"));
            assertEquals(-1L, Files.mismatch(in, out));
            assertTrue(replica.isAlive(), "the replica did not run out of memory");
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
        }
    }

    @Test
    void aCommandAllowedWhereTheJobWasCreatedIsRefusedByAReplicaThatDoesNotAllowIt() {
        // given an API-only replica that allows sql, and a worker replica that does not
        Map<String, String> api = new LinkedHashMap<>(TestDatabase.target().quarkusConfig());
        api.put("jobyard.commands.sql.enabled", "true");
        api.put("jobyard.worker.enabled", "false");
        Map<String, String> worker = new LinkedHashMap<>(TestDatabase.target().quarkusConfig());
        String run = UUID.randomUUID().toString().substring(0, 6);
        Path logs = Path.of("target", "it-replicas", "CommandsOnReplicasIT");
        try (ReplicaProcess creator = ReplicaProcess.launch("cmd-api-" + run, List.of("-Xmx256m", "-XX:+UseSerialGC"), api, logs);
                ReplicaProcess runner = ReplicaProcess.launch("cmd-worker-" + run, List.of("-Xmx256m", "-XX:+UseSerialGC"), worker, logs)) {
            creator.waitReady(Duration.ofSeconds(90));
            runner.waitReady(Duration.ofSeconds(90));

            // when a sql job is created through the first and run by the second
            String id = creator.graphql(CREATE, Map.of("input", Map.of("queue", "sql-" + run, "kind", "sql", "maxAttempts", 1,
                    "payload", Map.of("sql", "SELECT 1")))).getString("createJob.id");
            Map<String, Object> job = finished(creator, id);

            // then the runner's settings decide: the attempt fails, naming the setting
            assertEquals("FAILED", job.get("status"), () -> "job: " + job);
            assertEquals("cmd-worker-" + run, job.get("worker"));
            assertEquals("kind: 'sql' jobs are disabled on this service; an operator enables them with jobyard.commands.sql.enabled=true",
                    job.get("error"));
        }
    }

    private static Map<String, Object> finished(ReplicaProcess replica, String id) {
        return Await.until(Duration.ofSeconds(120), () -> replica.graphql(JOB, Map.of("id", id)).getMap("job"),
                job -> List.of("COMPLETED", "FAILED", "CANCELLED").contains(job.get("status")), "job " + id + " to finish");
    }
}
