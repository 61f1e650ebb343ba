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
import dev.jobyard.testing.ReplicaProcess;

/** Cell "replica SIGKILL": {@code kill -9} of one of two replicas under load, then the replica starts again. */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ReplicaSigkillIT {

    @RegisterExtension
    static final DisposablePostgres POSTGRES = DisposablePostgres.named("chaos-sigkill");

    @RegisterExtension
    final JobyardCluster cluster = FaultCell.cluster("sigkill", POSTGRES).build();

    @Test
    void aReplicaKilledUnderLoadLosesNoJobAndRunsNoneTwice() {
        // given two replicas and a client creating 100 jobs a second through both
        List<ReplicaProcess> replicas = cluster.start();
        FaultCell cell = new FaultCell("replica SIGKILL", getClass(), cluster, POSTGRES);
        try (JobStream flow = cell.flow(cluster.unique("sigkill")).start()) {
            FaultCell.awaitFlowing(flow, 300);

            // when one replica dies of SIGKILL; the load balancer stops sending to it
            ReplicaProcess victim = replicas.get(1);
            flow.stopServingFrom(victim);
            victim.kill9();
            cell.recovered();
            FaultCell.awaitFlowing(flow, 200);
            // and it starts again in its pod (same node id), and takes requests once ready
            long booting = System.nanoTime();
            ReplicaProcess restarted = cluster.restart(victim).waitReady(Duration.ofSeconds(90));
            Duration boot = Duration.ofNanos(System.nanoTime() - booting);
            flow.serveFrom(restarted);
            FaultCell.awaitFlowing(flow, 200);
            List<Long> ids = flow.stop();

            // then every job completed, once (the victim's were rescued), and the survivor stayed ready
            cell.verify(ids, flow, Duration.ofSeconds(60), "one of two replicas killed; restarted, ready "
                    + boot.toSeconds() + " s later; recovery is the survivor's");
        }
    }
}
