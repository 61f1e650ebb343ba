package dev.jobyard.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.jobyard.database.Sql;
import dev.jobyard.job.Fence;
import dev.jobyard.maintenance.Rescuer;
import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Invariant 2: a job runs only under a live lease. An expired lease is rescued, and the old holder's
 * late result is rejected by the fence instead of overwriting the newer state.
 */
@QuarkusTest
class LeaseFencingTest {

    @Inject
    Sql sql;
    @Inject
    Rescuer rescuer;
    @Inject
    OutcomeWriter writer;

    /** Makes a pending job look as if a worker called "ghost" took it and then vanished. */
    private long jobHeldByAVanishedWorker(String queue, int maxAttempts) {
        return jobHeldByGhost(queue, maxAttempts, "- interval '1 second'");
    }

    /** A job "ghost" runs, its lease ending at now() plus {@code leaseLeft} (which may set more columns after it). */
    private long jobHeldByGhost(String queue, int maxAttempts, String leaseLeft) {
        return Jobs.heldByGhost(queue, maxAttempts, leaseLeft);
    }

    @Test
    void anExpiredLeaseIsRetriedAndTheLateResultRejected() {
        String queue = Jobs.uniqueQueue();
        long id = jobHeldByAVanishedWorker(queue, 3);

        rescuer.rescue();

        var job = Jobs.job(String.valueOf(id));
        assertEquals("PENDING", job.getString("status"));
        assertTrue(job.getString("error").startsWith("lease expired: worker ghost"), job.getString("error"));

        OutcomeWriter.Written late = sql.inTransaction(tx -> writer.write(tx,
                List.of(new Outcome.Succeeded(Jobs.ghostFence(id), new JsonObject().put("late", true), false))));

        assertEquals(1, late.rejected());
        assertEquals("PENDING", Jobs.status(String.valueOf(id)), "the late completion changed nothing");
        Jobs.resume(queue);
        var done = Jobs.awaitStatus(String.valueOf(id), "COMPLETED");
        assertEquals(2, done.getInt("attempts"));
    }

    @Test
    void aLateResultOfAnEarlierClaimAtTheSameAttemptIsRejectedByTheLeaseToken() {
        // given a job that worker "ghost" claimed (token 1), handed back (its attempt uncounted again), and
        // claimed once more, as attempt 1 again: only the claim's token tells the two claims apart
        long id = jobHeldByGhost(Jobs.uniqueQueue(), 3, "+ interval '1 minute', lease_token = 1");
        Fence first = new Fence(id, 1, "ghost", 1);
        sql.inTransaction(tx -> writer.write(tx, List.of(new Outcome.HandedBack(first))));
        // the claim statement's changes, on a paused queue that no worker claims from
        Jdbc.update("UPDATE jobyard.job SET status = 'RUNNING', attempt = attempt + 1, worker = 'ghost',"
                + " lease_token = lease_token + 1, lease_expires_at = now() + interval '1 minute' WHERE id = ?", id);

        // when the first claim's handler reports late, then its result is rejected
        OutcomeWriter.Written late = sql.inTransaction(tx -> writer.write(tx,
                List.of(new Outcome.Succeeded(first, new JsonObject().put("claim", 1), false))));
        assertEquals(1, late.rejected());
        assertEquals("RUNNING", Jobs.status(String.valueOf(id)));

        // and the second claim's result is the one written
        OutcomeWriter.Written current = sql.inTransaction(tx -> writer.write(tx,
                List.of(new Outcome.Succeeded(new Fence(id, 1, "ghost", 2), new JsonObject().put("claim", 2), false))));
        assertEquals(0, current.rejected());
        var done = Jobs.job(String.valueOf(id));
        assertEquals("COMPLETED", done.getString("status"));
        assertEquals(2, done.getInt("result.claim"));
    }

    @Test
    void anExpiredLeaseOnTheLastAttemptFails() {
        long id = jobHeldByAVanishedWorker(Jobs.uniqueQueue(), 1);

        rescuer.rescue();

        var job = Jobs.job(String.valueOf(id));
        assertEquals("FAILED", job.getString("status"));
        assertEquals(1, job.getList("errors").size());
    }

    @Test
    void aCancelAskedOfAVanishedWorkerEndsCancelled() {
        String queue = Jobs.uniqueQueue();
        // Expired and cancel-requested in one statement, so the background rescuer sees both or neither.
        long id = jobHeldByGhost(queue, 3, "- interval '1 second', cancel_reason = 'stop it'");

        rescuer.rescue();

        var job = Jobs.job(String.valueOf(id));
        assertEquals("CANCELLED", job.getString("status"));
        assertEquals("stop it", job.getString("error"));
    }

    @Test
    void aCancelAskedWhileTheAttemptFailedWinsOverTheRetry() {
        String queue = Jobs.uniqueQueue();
        // A live lease, so the leader's rescuer leaves the job to its worker.
        long id = jobHeldByGhost(queue, 3, "+ interval '1 minute'");
        sql.query("UPDATE jobyard.job SET cancel_reason = 'user gave up' WHERE id = $1", Tuple.of(id));

        OutcomeWriter.Written written = sql.inTransaction(tx -> writer.write(tx,
                List.of(new Outcome.Failed(Jobs.ghostFence(id), 3, "IOException: connection reset"))));

        assertEquals(0, written.rejected());
        var job = Jobs.job(String.valueOf(id));
        assertEquals("CANCELLED", job.getString("status"), "the failure must not turn into a retry");
        assertEquals("user gave up", job.getString("error"));
    }
}
