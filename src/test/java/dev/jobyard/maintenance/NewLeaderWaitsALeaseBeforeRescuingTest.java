package dev.jobyard.maintenance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.jobyard.config.JobyardConfig;
import dev.jobyard.leadership.LeaderElector;
import dev.jobyard.testing.Await;
import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A replica that has just become leader rescues nothing for one full job lease: a worker that lost the
 * database with the old leader has given up its handlers by then, or renewed what it still runs.
 */
@QuarkusTest
class NewLeaderWaitsALeaseBeforeRescuingTest {

    @Inject
    LeaderElector elector;
    @Inject
    JobyardConfig config;

    @Test
    void aNewLeaderRescuesAnExpiredLeaseOnlyOnceItHasLedForALease() {
        // given another replica holds leadership for 2 s, so this one steps down
        Jdbc.update("UPDATE jobyard.leader_lease SET node_id = 'lease-test-other-leader', expires_at = now() + interval '2 seconds'"
                + " WHERE name = 'leader'");
        Await.until(Duration.ofSeconds(20), elector::isLeader, leads -> !leads, "this replica to step down");
        // and a job whose worker vanished a minute ago, its lease long expired
        long id = Jobs.heldByGhost(Jobs.uniqueQueue(), 3, "- interval '1 minute'");

        // when this replica becomes leader again (a new term), then the job is rescued
        Await.until(Duration.ofSeconds(20), elector::isLeader, leads -> leads, "this replica to lead again");
        Await.until(Duration.ofSeconds(30), () -> Jdbc.value("SELECT jsonb_array_length(errors) FROM jobyard.job WHERE id = ?", id),
                errors -> ((Integer) errors) > 0, "job " + id + " to be rescued");

        // but not before the new term had lasted one job lease, by the database clock
        BigDecimal waited = Jdbc.value("""
                SELECT extract(epoch FROM (j.errors->0->>'at')::timestamptz - l.acquired_at)
                  FROM jobyard.job j, jobyard.leader_lease l WHERE j.id = ? AND l.name = 'leader'""", id);
        double lease = config.leaseTimeout().toMillis() / 1000.0;
        assertTrue(waited.doubleValue() >= lease, () -> "rescued " + waited + " s into the new term; the lease is " + lease + " s");
    }
}
