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
 * Cell "active readers": two REPEATABLE READ sessions (one per core of a CI machine) scan the job tables
 * continuously while jobs flow.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ActiveReadersIT {

    private static final Duration RUN = Duration.ofSeconds(30);
    private static final int READERS = 2;

    @RegisterExtension
    static final DisposablePostgres POSTGRES = DisposablePostgres.named("chaos-readers");

    @RegisterExtension
    final JobyardCluster cluster = FaultCell.cluster("readers", POSTGRES).build();

    @Test
    void repeatableReadScansOfTheJobTablesCostNoJob() throws InterruptedException {
        // given two replicas and two sessions scanning job, job_history and job_log in REPEATABLE READ, over and over
        cluster.start();
        FaultCell cell = new FaultCell("active readers", getClass(), cluster, POSTGRES);
        try (DisposablePostgres.Sessions readers = POSTGRES.repeatableReadReaders(READERS);
                JobStream flow = cell.flow(cluster.unique("readers")).start()) {
            // when a client creates 100 jobs a second for 30 s
            Thread.sleep(RUN.toMillis()); // the run's length, not a wait for the service
            List<Long> ids = flow.stop();

            // then every job completed, once, while the readers kept scanning
            cell.verify(ids, flow, Duration.ofSeconds(60), READERS + " readers finished " + readers.work()
                    + " scans" + (readers.errors().isEmpty() ? "" : ", errors " + readers.errors()));
        }
    }
}
