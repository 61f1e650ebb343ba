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
 * Cell "idle in transaction": a session holds a REPEATABLE READ transaction open, idle, for the whole run, so
 * that its old xmin keeps vacuum from removing any dead row of the job tables.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class IdleInTransactionIT {

    private static final Duration RUN = Duration.ofSeconds(30);

    @RegisterExtension
    static final DisposablePostgres POSTGRES = DisposablePostgres.named("chaos-idle-tx");

    @RegisterExtension
    final JobyardCluster cluster = FaultCell.cluster("idletx", POSTGRES).build();

    @Test
    void aTransactionLeftOpenForTheWholeRunCostsNoJob() throws InterruptedException {
        // given two replicas and a session idle in a transaction that has read the job tables
        cluster.start();
        FaultCell cell = new FaultCell("idle in transaction", getClass(), cluster, POSTGRES);
        try (DisposablePostgres.Sessions idle = POSTGRES.idleInTransaction();
                JobStream flow = cell.flow(cluster.unique("idletx")).start()) {
            // when a client creates 100 jobs a second for 30 s under that old snapshot
            Thread.sleep(RUN.toMillis()); // the run's length, not a wait for the service
            List<Long> ids = flow.stop();

            // then every job completed, once, while the transaction was still open
            cell.verify(ids, flow, Duration.ofSeconds(60), "one REPEATABLE READ session idle in transaction"
                    + " from before the first job to after the last; tables at the end " + POSTGRES.tableSizes());
        }
    }
}
