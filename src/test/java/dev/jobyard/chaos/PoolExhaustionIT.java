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

/**
 * Cell "pool exhaustion": other clients hold idle connections until only three are left under
 * {@code max_connections}, for 30 s.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class PoolExhaustionIT {

    private static final Duration PHASE = Duration.ofSeconds(30);
    private static final int LEFT_FREE = 3;

    @RegisterExtension
    static final DisposablePostgres POSTGRES = DisposablePostgres.named("chaos-pool");

    @RegisterExtension
    // The service's default pool of 20, not the cells' 8: a pool that has room to grow meets the full server.
    final JobyardCluster cluster = FaultCell.cluster("pool", POSTGRES)
            .with("quarkus.datasource.reactive.max-size", "20").build();

    @Test
    void otherClientsHoldingNearlyEveryConnectionLoseNothingAndRunNothingTwice() throws InterruptedException {
        // given two replicas and a client creating 100 jobs a second through both
        cluster.start();
        FaultCell cell = new FaultCell("pool exhaustion", getClass(), cluster, POSTGRES);
        try (JobStream flow = cell.flow(cluster.unique("pool")).start()) {
            FaultCell.awaitFlowing(flow, 200);

            // when other clients take every connection but three, for 30 s
            int held;
            int service = POSTGRES.serviceConnections();
            try (DisposablePostgres.Sessions others = POSTGRES.holdIdleConnectionsLeaving(LEFT_FREE)) {
                held = others.count();
                Thread.sleep(PHASE.toMillis()); // the fault's duration, not a wait for the service
            }
            cell.recovered();
            FaultCell.awaitFlowing(flow, 200);
            List<Long> ids = flow.stop();

            // then every job completed, once, and each replica was ready within a lease of the connections' release
            cell.verify(ids, flow, Duration.ofSeconds(60), held + " idle sessions held for "
                    + PHASE.toSeconds() + " s (max_connections " + POSTGRES.maxConnections() + ", the service had "
                    + service + ", " + LEFT_FREE + " left free)");
        }
    }
}
