package dev.jobyard.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Await;
import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A replica knows its running attempts by claim (job id and lease token): an abandoned attempt whose handler
 * ends late, after its job was claimed again on the same replica, leaves the newer claim's entry alone, so
 * the newer attempt's lease goes on being renewed and it is not rescued while it runs.
 */
@QuarkusTest
class OldAttemptLeavesTheNewClaimAloneTest {

    @Test
    void anAttemptEndingAfterItsJobWasClaimedAgainLeavesTheNewAttemptRunningUnderItsLease() {
        // given a job whose handler ignores interrupts, in its first attempt on this replica (10 s)
        String queue = Jobs.uniqueQueue();
        String id = Jobs.create(Map.of("kind", "test-stubborn", "queue", queue, "maxAttempts", 3,
                "payload", Map.of("firstMs", 10_000, "laterMs", 12_000)));
        awaitRunning(id, 1);

        // when the job is taken back from that attempt (as a rescue does) while its handler goes on,
        Jdbc.update("UPDATE jobyard.job SET status = 'PENDING', worker = NULL, lease_expires_at = NULL, run_at = now()"
                + " WHERE id = ?", Long.parseLong(id));
        Jobs.create(Map.of("kind", "noop", "queue", queue)); // wakes the queue's fetcher
        // and claimed again here as attempt 2 (12 s) before attempt 1 has ended,
        awaitRunning(id, 2);
        assertEquals(List.of(), linesDone(id), "attempt 1 should still run when attempt 2 starts");
        // and attempt 1 then ends
        Await.until(Duration.ofSeconds(30), () -> linesDone(id), lines -> !lines.isEmpty(), "attempt 1 to end");
        assertEquals(List.of(1), linesDone(id));

        // then attempt 2 keeps its lease (3 s) until it completes, and nothing rescued it
        var done = Jobs.awaitStatus(id, "COMPLETED", Duration.ofSeconds(60));
        assertEquals(2, done.getInt("attempts"), () -> "errors: " + done.getList("errors"));
        assertEquals(List.of(), done.getList("errors"));
        assertEquals(List.of(1, 2), linesDone(id), "each attempt's handler ran once");
    }

    private static void awaitRunning(String id, int attempt) {
        Await.until(Duration.ofSeconds(30), () -> Jdbc.rows("SELECT status, attempt FROM jobyard.job WHERE id = ?",
                Long.parseLong(id)), rows -> rows.size() == 1 && "RUNNING".equals(rows.get(0).get("status"))
                        && (Integer) rows.get(0).get("attempt") == attempt, "job " + id + " to run attempt " + attempt);
    }

    /** The attempts whose handler returned, by their "attempt n done" lines. */
    private static List<Integer> linesDone(String id) {
        return Jdbc.rows("SELECT attempt FROM jobyard.job_log WHERE job_id = ? AND message LIKE 'attempt % done' ORDER BY id",
                Long.parseLong(id)).stream().map(r -> (Integer) r.get("attempt")).toList();
    }
}
