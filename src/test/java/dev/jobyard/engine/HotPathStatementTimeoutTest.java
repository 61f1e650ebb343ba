package dev.jobyard.engine;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.jobyard.config.JobyardConfig;
import dev.jobyard.config.LeaseTimes;
import dev.jobyard.database.Sql;
import dev.jobyard.job.JobStore;
import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The hot path's statements (claim, lease renewal, completion) carry a statement timeout shorter than the
 * lease: one stuck behind a lock is cancelled by the server instead of landing after the lease it was about.
 * Each test holds a lock longer than the lease (the holder is ended after 10 s), so without the timeout the
 * statement would succeed once the lock goes, and the test fail.
 */
@QuarkusTest
class HotPathStatementTimeoutTest {

    private static final Duration HOLD = Duration.ofSeconds(10);

    @Inject
    JobStore store;
    @Inject
    Sql sql;
    @Inject
    OutcomeWriter writer;
    @Inject
    JobyardConfig config;

    @Test
    void aRenewalStuckBehindARowLockIsCancelledWithinTheLease() throws Exception {
        // given a job that worker "ghost" runs, its row locked by another session
        long id = Jobs.heldByGhost(Jobs.uniqueQueue(), 3, "+ interval '1 minute'");
        try (AutoCloseable lock = Jdbc.holding(HOLD, "SELECT 1 FROM jobyard.job WHERE id = ? FOR UPDATE", id)) {
            // when the ghost renews its lease, then the server cancels the statement
            assertCancelled(() -> store.renewLeases("ghost", List.of(Jobs.ghostFence(id)), 3000));
        }
    }

    @Test
    void aCompletionStuckBehindARowLockIsCancelledWithinTheLease() throws Exception {
        long id = Jobs.heldByGhost(Jobs.uniqueQueue(), 3, "+ interval '1 minute'");
        try (AutoCloseable lock = Jdbc.holding(HOLD, "SELECT 1 FROM jobyard.job WHERE id = ? FOR UPDATE", id)) {
            assertCancelled(() -> sql.inTransaction(tx -> writer.write(tx,
                    List.of(new Outcome.Succeeded(Jobs.ghostFence(id), null, false)))));
        }
    }

    @Test
    void aClaimStuckBehindATableLockIsCancelledWithinTheLease() throws Exception {
        String queue = Jobs.uniqueQueue();
        try (AutoCloseable lock = Jdbc.holding(HOLD, "LOCK TABLE jobyard.job IN ACCESS EXCLUSIVE MODE")) {
            assertCancelled(() -> store.claim(queue, 10, "ghost", 3000));
        }
    }

    private void assertCancelled(Runnable statement) {
        long started = System.nanoTime();
        RuntimeException e = assertThrows(RuntimeException.class, statement::run);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(String.valueOf(e.getMessage()).contains("statement timeout"), () -> "cancelled by the server: " + e);
        // Cancelled by its own timeout, not by the holder ending.
        assertTrue(took.compareTo(HOLD) < 0, () -> "cancelled after " + took);
        assertTrue(LeaseTimes.of(config).statementTimeout().compareTo(config.leaseTimeout()) < 0);
    }
}
