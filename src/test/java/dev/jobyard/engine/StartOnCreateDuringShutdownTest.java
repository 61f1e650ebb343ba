package dev.jobyard.engine;

import static dev.jobyard.testing.GraphQLClient.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.jobyard.job.ClaimedJob;
import dev.jobyard.job.IdleWorkers;
import dev.jobyard.job.StartAtCreate;
import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * A replica that starts shutting down after it reserved an idle worker for a new job, but before it handed the
 * job (inserted already claimed) to that worker, gives the job back at once: PENDING again, attempt 0, no worker
 * and no lease, for another replica to claim, rather than RUNNING under a lease nobody renews until it expires.
 */
@QuarkusTest
@TestProfile(StartOnCreateDuringShutdownTest.ShutdownAfterReserve.class)
class StartOnCreateDuringShutdownTest {

    public static class ShutdownAfterReserve implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(ShutdownAfterReserving.class);
        }
    }

    /** The worker pool, except that the armed reservation is followed by the replica's shutdown. */
    @Alternative
    @ApplicationScoped
    public static class ShutdownAfterReserving implements IdleWorkers {

        @Inject
        WorkerPool pool;
        private volatile boolean armed;

        // Methods, not field access: the test holds a client proxy, whose own fields are not the bean's.
        void arm() {
            armed = true;
        }

        boolean armed() {
            return armed;
        }

        @Override
        public StartAtCreate reserve(String queue, int max) {
            StartAtCreate reserved = pool.reserve(queue, max);
            if (armed && reserved.count() > 0) {
                armed = false;
                pool.onStop(null);
            }
            return reserved;
        }

        @Override
        public void release(String queue, StartAtCreate reserved, List<ClaimedJob> started) {
            pool.release(queue, reserved, started);
        }
    }

    @Inject
    ShutdownAfterReserving idleWorkers;

    @Test
    void aJobInsertedClaimedAsTheReplicaStopsGoesBackToTheQueue() {
        // given a queue this replica runs, with every worker idle
        String queue = Jobs.uniqueQueue();
        Jobs.awaitStatus(Jobs.create(Map.of("kind", "noop", "queue", queue)), "COMPLETED");
        idleWorkers.arm();

        // when a job is created and the replica begins to shut down between the reservation and the start
        JsonPath created = ok("mutation($in: JobInput!) { createJob(input: $in) { id status } }",
                Map.of("in", Map.of("kind", "noop", "queue", queue))).setRootPath("data.createJob");

        // then the job, inserted RUNNING under this replica's lease, was handed back before the call returned
        assertEquals(false, idleWorkers.armed(), "the shutdown came between reservation and start");
        assertEquals("RUNNING", created.getString("status"), "inserted already claimed");
        long id = created.getLong("id");
        Map<String, Object> row = Jdbc.row("SELECT status, attempt, worker, lease_expires_at, started_at"
                + " FROM jobyard.job WHERE id = ?", id);
        assertEquals("PENDING", row.get("status"));
        assertEquals(0, ((Number) row.get("attempt")).intValue());
        assertNull(row.get("worker"));
        assertNull(row.get("lease_expires_at"));
        assertNull(row.get("started_at"));
        // Not left for the next test application to run.
        Jdbc.update("DELETE FROM jobyard.job WHERE id = ?", id);
    }
}
