package dev.jobyard.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * Cell "repeated kills": {@code kill -9} of a replica every few seconds, ten times. Three replicas take turns; a
 * killed one starts again at once under its node id, and one is killed only while another is ready, so that the
 * service never has no replica at all (the cell is about crashes, not about an outage).
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class RepeatedKillsIT {

    private static final int KILLS = 10;
    private static final Duration EVERY = Duration.ofSeconds(3);

    @RegisterExtension
    static final DisposablePostgres POSTGRES = DisposablePostgres.named("chaos-kills");

    @RegisterExtension
    final JobyardCluster cluster = FaultCell.cluster("kills", POSTGRES).replicas(3).build();

    @Test
    void tenKillsInARowLoseNoJobAndRunNoneTwice() throws InterruptedException {
        // given three replicas and a client creating 100 jobs a second through them
        cluster.start();
        FaultCell cell = new FaultCell("repeated kills", getClass(), cluster, POSTGRES);
        try (JobStream flow = cell.flow(cluster.unique("kills")).start()) {
            FaultCell.awaitFlowing(flow, 200);

            // when a replica is killed every 3 s or so, ten times, each starting again at once
            List<ReplicaProcess> booting = new ArrayList<>();
            for (int kill = 0; kill < KILLS; kill++) {
                int n = kill;
                ReplicaProcess victim = Await.until(Duration.ofSeconds(120), () -> {
                    admitReady(flow, booting);
                    List<ReplicaProcess> ready = cluster.replicas().stream().filter(r -> !booting.contains(r)).toList();
                    return ready.size() >= 2 ? ready.get(n % ready.size()) : null;
                }, victimFound -> victimFound != null, "two replicas ready, so that one may be killed");
                flow.stopServingFrom(victim);
                victim.kill9();
                booting.add(cluster.restart(victim));
                Thread.sleep(EVERY.toMillis()); // the fault's pace, not a wait for the service
            }
            Await.until(Duration.ofSeconds(120), () -> {
                admitReady(flow, booting);
                return booting.isEmpty();
            }, done -> done, "every restarted replica to be ready");
            cell.recovered();
            FaultCell.awaitFlowing(flow, 200);
            List<Long> ids = flow.stop();

            // then every job completed, once (the victims' were rescued)
            cell.verify(ids, flow, Duration.ofSeconds(90), KILLS + " kills of 3 replicas, one every "
                    + EVERY.toSeconds() + " s at most, each restarted at once; recovery is after the last restart");
        }
    }

    /** Restarted replicas that are ready now join the client's rotation, as a Service adds a ready pod. */
    private static void admitReady(JobStream flow, List<ReplicaProcess> booting) {
        for (ReplicaProcess replica : List.copyOf(booting)) {
            if (replica.isReady()) {
                booting.remove(replica);
                flow.serveFrom(replica);
            }
        }
    }
}
