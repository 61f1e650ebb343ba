package dev.jobyard.chaos;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.jobyard.testing.Await;
import dev.jobyard.testing.DisposablePostgres;
import dev.jobyard.testing.JobyardCluster;
import dev.jobyard.testing.ReplicaProcess;

/**
 * Issue 13's lease test: PostgreSQL stops for longer than the lease while 16 long jobs run on two replicas. Each job
 * is a {@code program} that works for 12 s and then commits its effect: a line with the job's tag and the run's
 * start and end times appended to a file outside the database. A handler that runs on past its lease commits it
 * even while the database is away, and a rescuer that takes the job back while that handler still runs makes a
 * second one. Every job must end COMPLETED with exactly one effect, and no effect may come from a run that
 * outlived its lease: one that began before the server stopped and was still running a lease later, when no
 * renewal could have reached the database (the rule "a job never runs without a live lease").
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class DatabaseOutageLongerThanLeaseIT {

    private static final int JOBS = 16;
    private static final int WORK_SECONDS = 12;
    private static final Duration OUTAGE = FaultCell.LEASE.multipliedBy(3);
    private static final String CREATE = "mutation($in: [JobInput!]!) { createJobs(inputs: $in) { id } }";

    @RegisterExtension
    static final DisposablePostgres POSTGRES = DisposablePostgres.named("chaos-outage");

    @RegisterExtension
    final JobyardCluster cluster = FaultCell.cluster("outage", POSTGRES)
            .with("jobyard.commands.program.enabled", "true")
            .with("jobyard.commands.program.allowed", "sh")
            .build();

    @Test
    void aDatabaseOutageLongerThanTheLeaseEndsEveryLongJobWithExactlyOneCommittedEffect() throws IOException {
        // given two replicas, each running 8 jobs (as many as its queue's threads) that work 12 s and then commit
        List<ReplicaProcess> replicas = cluster.start();
        FaultCell cell = new FaultCell("PostgreSQL stopped longer than the lease, 16 long jobs", getClass(), cluster,
                POSTGRES);
        String queue = cluster.unique("outage");
        // Programs run as an unprivileged user when the service runs as root (docs/security.md): the file they
        // append to must be theirs to write.
        Path dir = Files.createTempDirectory("jobyard-chaos-effects");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path effects = Files.createFile(dir.resolve("effects-" + queue + ".txt"));
        Files.setPosixFilePermissions(effects, PosixFilePermissions.fromString("rw-rw-rw-"));
        List<Long> ids = new ArrayList<>();
        for (int r = 0; r < replicas.size(); r++) {
            List<Map<String, Object>> inputs = new ArrayList<>();
            for (int i = 0; i < JOBS / replicas.size(); i++) {
                String tag = "job-" + r + "-" + i;
                inputs.add(Map.of("queue", queue, "kind", "program", "maxAttempts", 10, "payload", Map.of(
                        "command", "sh", "args", List.of("-c", "began=$(date +%s%3N); sleep " + WORK_SECONDS
                                + " && echo \"$1 $began $(date +%s%3N)\" >> \"$2\"",
                                "sh", tag, effects.toString()))));
            }
            // Created through each replica, the jobs start on that replica's idle threads.
            replicas.get(r).graphql(CREATE, Map.of("in", inputs)).getList("createJobs.id", String.class)
                    .forEach(id -> ids.add(Long.parseLong(id)));
        }
        Map<String, Long> workers = Await.until(Duration.ofSeconds(30), () -> runningPerWorker(ids),
                perWorker -> perWorker.values().stream().mapToLong(Long::longValue).sum() == JOBS,
                "all " + JOBS + " jobs to run");

        // when PostgreSQL stops for three leases and starts again, while every handler is mid-way
        long stopped = System.currentTimeMillis();
        POSTGRES.restart(OUTAGE);
        cell.recovered();
        long leaseGoneAt = stopped + FaultCell.LEASE.toMillis();

        // then every job ends COMPLETED, and each committed its effect exactly once
        JobLedger ledger = JobLedger.of(POSTGRES.jdbc(), ids, Duration.ofSeconds(120));
        List<String[]> lines = Files.exists(effects)
                ? Files.readAllLines(effects).stream().map(line -> line.split(" ")).toList()
                : List.of();
        Map<String, Long> effectsPerTag = lines.stream().collect(Collectors.groupingBy(e -> e[0], TreeMap::new,
                Collectors.counting()));
        List<String> leaseless = lines.stream()
                .filter(e -> Long.parseLong(e[1]) < stopped && Long.parseLong(e[2]) > leaseGoneAt)
                .map(e -> e[0] + " ran " + (Long.parseLong(e[1]) - stopped) + ".." + (Long.parseLong(e[2]) - stopped)
                        + " ms from the stop")
                .toList();
        long withOne = effectsPerTag.values().stream().filter(n -> n == 1).count();
        long doubled = effectsPerTag.values().stream().filter(n -> n > 1).count();
        long without = JOBS - effectsPerTag.size();
        String seen = "running per replica " + workers + "; effects per job " + effectsPerTag + "; effects of runs"
                + " that outlived their lease " + leaseless + "; " + ledger;
        new CellReport(cell.title(), getClass().getSimpleName(), JOBS, without + ledger.stillActive() + ledger.vanished(),
                doubled, ledger.rescued(), ledger.failed(), cell.recovery(), Map.of(),
                "stopped " + OUTAGE.toSeconds() + " s (lease " + FaultCell.LEASE.toSeconds() + " s) while " + JOBS
                        + " jobs of " + WORK_SECONDS + " s ran; run twice = two committed effects; " + leaseless.size()
                        + " effects of runs that outlived their lease").write();
        assertAll(
                () -> assertEquals(JOBS, ledger.completed(), () -> "every job COMPLETED: " + seen),
                () -> assertEquals(0, doubled, () -> "jobs whose effect was committed twice: " + seen),
                () -> assertEquals(0, without, () -> "jobs without a committed effect: " + seen),
                () -> assertEquals(JOBS, withOne, () -> seen),
                () -> assertEquals(List.of(), leaseless, () -> "effects committed by runs that outlived their lease"
                        + " (the server stopped at 0 ms, the lease was gone at " + FaultCell.LEASE.toMillis() + " ms): "
                        + seen),
                () -> assertTrue(cell.recovery().compareTo(FaultCell.LEASE) <= 0,
                        () -> "readiness came back " + cell.recovery().toMillis() + " ms after the database"));
    }

    private Map<String, Long> runningPerWorker(List<Long> ids) {
        return POSTGRES.jdbc().query("SELECT worker, count(*) AS n FROM jobyard.job WHERE id = ANY(?) AND status = "
                + "'RUNNING' AND started_at IS NOT NULL GROUP BY worker", ids).stream()
                .collect(Collectors.toMap(r -> (String) r.get("worker"), r -> (Long) r.get("n")));
    }
}
