package dev.jobyard.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

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

    @Test
    void claimsCancelledByTheTimeoutGiveTheirConnectionsBackWithNoTransactionOpen() throws Exception {
        // A connection left inside a transaction would hold its locks, and the next LOCK TABLE would wait for good.
        assertTimeoutPreemptively(Duration.ofMinutes(1), () -> {
            // given more claims stuck behind a table lock than the pool has connections (quarkus.datasource.reactive.max-size=20)
            String queue = Jobs.uniqueQueue();
            int claims = 25;
            ExecutorService threads = Executors.newFixedThreadPool(claims);
            try (AutoCloseable lock = Jdbc.holding(HOLD, "LOCK TABLE jobyard.job IN ACCESS EXCLUSIVE MODE")) {
                List<Future<?>> stuck = new ArrayList<>();
                for (int i = 0; i < claims; i++) {
                    stuck.add(threads.submit(() -> store.claim(queue, 1, "ghost", 3000)));
                }
                // when the server cancels every one of them
                for (Future<?> claim : stuck) {
                    ExecutionException e = assertThrows(ExecutionException.class, () -> claim.get(HOLD.toSeconds(), TimeUnit.SECONDS));
                    assertTrue(String.valueOf(e.getCause().getMessage()).contains("statement timeout"), () -> "cancelled: " + e.getCause());
                }
            } finally {
                threads.shutdownNow();
            }
            // then each connection went back to the pool with its transaction ended: a claim still gets one
            assertEquals(List.of(), store.claim(queue, 1, "ghost", 3000));
            long leftOpen = Jdbc.value("""
                    SELECT count(*) FROM pg_stat_activity
                     WHERE datname = current_database() AND state LIKE 'idle in transaction%' AND query LIKE '%WITH picked AS%'
                       -- Left open, not between two statements of a live transaction (the firer's, the rescuer's).
                       AND state_change < now() - interval '500 milliseconds'""");
            assertEquals(0, leftOpen, "sessions left in a transaction by a cancelled claim");
        });
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
