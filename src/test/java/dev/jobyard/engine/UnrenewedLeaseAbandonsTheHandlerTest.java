package dev.jobyard.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Await;
import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A replica that cannot renew a job's lease gives the attempt up before the lease can expire, even when
 * the handler ignores the interrupt: its entry goes while the handler still runs, and what it returns later
 * is never written; the rescuer runs the job again.
 */
@QuarkusTest
class UnrenewedLeaseAbandonsTheHandlerTest {

    @Inject
    WorkerPool pool;

    @Test
    void aHandlerIgnoringTheInterruptIsAbandonedWhileItStillRuns() throws Exception {
        // given a job whose handler ignores interrupts, running its first attempt (20 s) on this replica
        String queue = Jobs.uniqueQueue();
        long id = Long.parseLong(Jobs.create(Map.of("kind", "test-stubborn", "queue", queue, "maxAttempts", 3,
                "payload", Map.of("firstMs", 20_000, "laterMs", 100))));
        Await.until(Duration.ofSeconds(30), pool::runningJobIds, ids -> ids.contains(id), "job " + id + " to run here");

        // when its row stays locked for 8 s, so that renewals time out (the lease is 3 s)
        try (AutoCloseable lock = Jdbc.holding(Duration.ofSeconds(8), "SELECT 1 FROM jobyard.job WHERE id = ? FOR UPDATE", id)) {
            // then the replica gives the attempt up while its handler still runs
            Await.until(Duration.ofSeconds(10), pool::runningJobIds, ids -> !ids.contains(id), "job " + id + " to be abandoned");
            assertEquals(List.of(), linesDone(id), "the handler should still run when the attempt is given up");
        }

        // and the job is rescued and run again, the first attempt's late return written nowhere
        var done = Jobs.awaitStatus(String.valueOf(id), "COMPLETED", Duration.ofSeconds(60));
        assertEquals(2, done.getInt("attempts"));
        assertEquals(2, done.getInt("result.attempt"));
        Await.until(Duration.ofSeconds(40), () -> linesDone(id), lines -> lines.contains(1), "attempt 1's handler to return");
    }

    private static List<Integer> linesDone(long id) {
        return Jdbc.rows("SELECT attempt FROM jobyard.job_log WHERE job_id = ? AND message LIKE 'attempt % done' ORDER BY id",
                id).stream().map(r -> (Integer) r.get("attempt")).toList();
    }
}
