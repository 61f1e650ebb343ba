package dev.jobyard.chaos;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.jobyard.testing.DisposablePostgres;
import dev.jobyard.testing.JobStream;
import dev.jobyard.testing.JobyardCluster;
import dev.jobyard.testing.ReplicaProcess;

/**
 * Cell "soak": an hour of steady load compressed into 75 s. 200 jobs a second for 75 s is 15,000 jobs, an hour at
 * about 4 a second; the disposable server's autovacuum wakes every 5 s instead of every minute, compressed alike.
 * At the end every replica's resident memory is under the pod's limit, and the active-job table is back to the
 * size it had after warming up (twice that, or 1 MiB, at most), however many jobs went through it: without
 * vacuum it would grow by about 600 bytes a job (see the idle-in-transaction cell), 8 MiB here.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SoakIT {

    private static final Duration WARM_UP = Duration.ofSeconds(15);
    private static final Duration RUN = Duration.ofSeconds(75);
    private static final long POD_MEMORY_LIMIT_KB = 512 * 1024;

    @RegisterExtension
    static final DisposablePostgres POSTGRES = DisposablePostgres.named("chaos-soak");

    @RegisterExtension
    final JobyardCluster cluster = FaultCell.cluster("soak", POSTGRES).build();

    @Test
    void anHourOfSteadyLoadCompressedLeavesMemoryAndTablesBounded() throws InterruptedException {
        // given two replicas under a steady 200 jobs a second, warmed up
        List<ReplicaProcess> replicas = cluster.start();
        FaultCell cell = new FaultCell("soak", getClass(), cluster, POSTGRES);
        try (JobStream flow = cell.flow(cluster.unique("soak")).batch(20).start()) {
            Thread.sleep(WARM_UP.toMillis()); // the run's length, not a wait for the service
            Map<String, Long> rssWarm = rss(replicas);
            Map<String, Long> tablesWarm = POSTGRES.tableSizes();

            // when the load goes on for the rest of the run
            Thread.sleep(RUN.minus(WARM_UP).toMillis());
            List<Long> ids = flow.stop();

            // then every job completed, once
            Map<String, Map<String, Long>> end = new java.util.HashMap<>();
            cell.verify(ids, flow, Duration.ofSeconds(60), () -> {
                end.put("rss", rss(replicas));
                end.put("tables", POSTGRES.tableSizes());
                return "RSS kB after warm-up " + rssWarm + ", at the end " + end.get("rss") + "; table bytes after"
                        + " warm-up " + tablesWarm + ", at the end " + end.get("tables");
            });
            // and memory and the hot table stay bounded
            String sizes = "RSS kB " + end.get("rss") + "; tables " + end.get("tables") + " (after warm-up "
                    + tablesWarm + ")";
            assertAll(
                    () -> assertTrue(end.get("rss").values().stream().allMatch(kb -> kb < POD_MEMORY_LIMIT_KB), sizes),
                    () -> assertTrue(end.get("tables").get("job") <= Math.max(2 * tablesWarm.get("job"), 1L << 20),
                            sizes));
        }
    }

    private static Map<String, Long> rss(List<ReplicaProcess> replicas) {
        return replicas.stream().collect(Collectors.toMap(ReplicaProcess::nodeId, ReplicaProcess::rssKb));
    }
}
