package dev.jobyard.chaos;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.jobyard.testing.DisposablePostgres;
import dev.jobyard.testing.JobStream;
import dev.jobyard.testing.JobyardCluster;

/** Cell "backend kills": {@code pg_terminate_backend} of the service's connections four times a second for 30 s. */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class BackendKillsIT {

    private static final Duration PHASE = Duration.ofSeconds(30);
    private static final Duration EVERY = Duration.ofMillis(250);

    @RegisterExtension
    static final DisposablePostgres POSTGRES = DisposablePostgres.named("chaos-backends");

    @RegisterExtension
    final JobyardCluster cluster = FaultCell.cluster("backends", POSTGRES).build();

    @Test
    void killingTheServicesBackendsRepeatedlyLosesNothingAndRunsNothingTwice() throws InterruptedException {
        // given two replicas and a client creating 100 jobs a second through both
        cluster.start();
        FaultCell cell = new FaultCell("backend kills", getClass(), cluster, POSTGRES);
        try (JobStream flow = cell.flow(cluster.unique("backends")).start()) {
            FaultCell.awaitFlowing(flow, 200);

            // when every session of the service is terminated, four times a second for 30 s
            long terminated = 0;
            long end = System.nanoTime() + PHASE.toNanos();
            while (System.nanoTime() < end) {
                terminated += POSTGRES.terminateServiceBackends();
                Thread.sleep(EVERY.toMillis()); // the fault's own pace, not a wait for the service
            }
            cell.recovered();
            FaultCell.awaitFlowing(flow, 200);
            List<Long> ids = flow.stop();

            // then every job completed, once, and each replica was ready within a lease of the last kill
            cell.verify(ids, flow, Duration.ofSeconds(60),
                    terminated + " backends terminated in " + PHASE.toSeconds() + " s, every " + EVERY.toMillis() + " ms");
        }
    }
}
