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

/** Cell "PostgreSQL restart": the server stops for 5 s and starts again, twice, while jobs flow. */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class PostgresRestartIT {

    @RegisterExtension
    static final DisposablePostgres POSTGRES = DisposablePostgres.named("chaos-restart");

    @RegisterExtension
    final JobyardCluster cluster = FaultCell.cluster("restart", POSTGRES).build();

    @Test
    void twoRestartsOfTheDatabaseLoseNothingAndRunNothingTwice() {
        // given two replicas and a client creating 100 jobs a second through both
        cluster.start();
        FaultCell cell = new FaultCell("PostgreSQL restart", getClass(), cluster, POSTGRES);
        List<Long> ids;
        try (JobStream flow = cell.flow(cluster.unique("restart")).start()) {
            FaultCell.awaitFlowing(flow, 200);

            // when PostgreSQL stops for 5 s and starts again, twice
            for (int i = 0; i < 2; i++) {
                POSTGRES.restart(Duration.ofSeconds(5));
                cell.recovered();
                FaultCell.awaitFlowing(flow, 200);
            }
            ids = flow.stop();

            // then every job completed, once, and each replica was ready within a lease of the server's return
            cell.verify(ids, flow, Duration.ofSeconds(60), "stopped 5 s (pg_ctl stop -m fast), twice");
        }
    }
}
