package dev.jobyard.chaos;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.jobyard.testing.Await;
import dev.jobyard.testing.DisposablePostgres;
import dev.jobyard.testing.JobStream;
import dev.jobyard.testing.JobyardCluster;
import dev.jobyard.testing.ReplicaProcess;

/**
 * One fault cell's frame: the replicas' settings (the test profile's short leases, so that expiry, rescue and
 * recovery happen within the suite's time), the client's job flow, the recovery clock and the verdict. The
 * verdict is written to the results before it is asserted, so a failing cell is reported too.
 */
final class FaultCell {

    /** The job lease of every cell; readiness must be green again within it after a fault ends. */
    static final Duration LEASE = Duration.ofSeconds(3);

    private final String title;
    private final Class<?> test;
    private final JobyardCluster cluster;
    private final DisposablePostgres postgres;
    private Duration recovery = Duration.ZERO;

    FaultCell(String title, Class<?> test, JobyardCluster cluster, DisposablePostgres postgres) {
        this.title = title;
        this.test = test;
        this.cluster = cluster;
        this.postgres = postgres;
    }

    /** {@code replicas} replicas on {@code postgres}, with short leases and a small pool each. */
    static JobyardCluster.Builder cluster(String name, DisposablePostgres postgres) {
        return JobyardCluster.builder(name).replicas(2).database(postgres::target).shortTimings(LEASE)
                .with("jobyard.worker.poll-interval", "2s")
                .with("jobyard.shutdown.grace-period", "3s")
                .with("quarkus.shutdown.timeout", "5s")
                .with("quarkus.datasource.reactive.max-size", "8");
    }

    /**
     * The client: batches of 10 {@code log} jobs every 100 ms through every replica in turn, each job allowed 10
     * attempts (attempts a fault costs are not the point; a job that still fails is), each batch retried with
     * its keys for up to 90 s.
     */
    JobStream.Builder flow(String queue) {
        return JobStream.into(queue).through(cluster.replicas()).batch(10).every(Duration.ofMillis(100))
                .with("maxAttempts", 10).retryFor(Duration.ofSeconds(90));
    }

    /** Waits until the stream has created {@code more} jobs more than now. */
    static void awaitFlowing(JobStream stream, int more) {
        int before = stream.progress().created();
        Await.until(Duration.ofSeconds(60), stream::progress, p -> p.created() >= before + more,
                more + " more jobs to be created");
    }

    /**
     * Marks the end of a fault: waits until every live replica reports ready and keeps the longest such wait of
     * the cell as its recovery time.
     */
    Duration recovered() {
        long ended = System.nanoTime();
        List<ReplicaProcess> live = cluster.replicas().stream().filter(ReplicaProcess::isAlive).toList();
        Await.until(Duration.ofSeconds(60), () -> live.stream().allMatch(ReplicaProcess::isReady), ready -> ready,
                "every replica to be ready again after the fault");
        Duration took = Duration.ofNanos(System.nanoTime() - ended);
        if (took.compareTo(recovery) > 0) {
            recovery = took;
        }
        return took;
    }

    /**
     * Counts what became of {@code ids}, writes the cell's report and asserts the cell's promise: every job
     * completed, none lost, none run again after its result was written, readiness back within one lease.
     */
    JobLedger verify(List<Long> ids, JobStream flow, Duration drain, String notes) {
        return verify(ids, flow, drain, () -> notes);
    }

    /** The same, with notes taken once the jobs have drained (sizes at the end, say). */
    JobLedger verify(List<Long> ids, JobStream flow, Duration drain, Supplier<String> afterDrain) {
        String rate = String.format("created at %.0f jobs/s", flow.ratePerSecond());
        JobLedger ledger = verify(ids, flow.errors(), drain, () -> rate + "; " + afterDrain.get());
        assertEquals(Map.of(), flow.undocumentedErrors(), "errors whose code the API does not document");
        return ledger;
    }

    /** The same for jobs that did not all come from one stream: {@code clientErrors} are what the client saw. */
    JobLedger verify(List<Long> ids, Map<String, Integer> clientErrors, Duration drain, Supplier<String> afterDrain) {
        JobLedger ledger = JobLedger.of(postgres.jdbc(), ids, drain);
        String notes = afterDrain.get();
        String details = notes + "; " + ledger;
        new CellReport(title, test.getSimpleName(), ids.size(), ledger.lost(), ledger.ranTwice(), ledger.rescued(),
                ledger.failed(), recovery, clientErrors, notes).write();
        assertAll(
                () -> assertTrue(ids.size() > 0, "the cell created no jobs"),
                () -> assertEquals(0, ledger.lost(), () -> "jobs lost or stuck: " + details),
                () -> assertEquals(0, ledger.ranTwice(), () -> "jobs run again after their result: " + details),
                () -> assertEquals(0, ledger.failed(), () -> "jobs that did not complete: " + details),
                () -> assertTrue(recovery.compareTo(LEASE) <= 0,
                        () -> "readiness came back " + recovery.toMillis() + " ms after the fault, more than a lease"));
        return ledger;
    }

    String title() {
        return title;
    }

    Duration recovery() {
        return recovery;
    }
}
