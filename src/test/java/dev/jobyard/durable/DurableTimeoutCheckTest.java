package dev.jobyard.durable;

import static dev.jobyard.testing.Jobs.awaitStatus;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.jobyard.durable.wake.DurableTimeouts;
import dev.jobyard.leadership.LeaderElector;
import dev.jobyard.testing.Await;
import dev.jobyard.testing.Durable;
import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The leader's timeout check reads the waits when one can be due, not on every tick: a task that parks with a
 * timeout is woken on time, and between the two the check does not ask the database once a second.
 */
@QuarkusTest
class DurableTimeoutCheckTest {

    private static final long TIMEOUT_MS = 6_000;

    @Inject
    DurableTimeouts timeouts;
    @Inject
    LeaderElector leader;

    @Test
    void aParkedTaskTimesOutOnTimeWithoutACheckOnEveryTick() {
        // given this replica leads (its check runs only there)
        Await.until(Duration.ofSeconds(20), leader::isLeader, leading -> leading, "this replica to lead");
        String queue = Jobs.uniqueQueue();

        // when a task parks on an event that never comes, with a 6 s timeout
        long checksBefore = timeouts.checks();
        long start = System.nanoTime();
        String task = Durable.script(queue, List.of(
                Map.of("op", "waitForEvent", "key", "w", "event", "never-" + queue, "timeoutMs", TIMEOUT_MS,
                        "catchTimeout", true)));

        // then it times out after its 6 s, not before, and within a few ticks of it
        var job = awaitStatus(task, "COMPLETED");
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(job.getBoolean("result.w.timedOut"));
        assertTrue(tookMs >= TIMEOUT_MS, () -> "timed out after " + tookMs + " ms");
        // and the check read the waits when the task parked and when its timeout fell due: a check on every
        // 1 s tick would have read them 6 times or more meanwhile
        long checks = timeouts.checks() - checksBefore;
        assertTrue(checks >= 1 && checks <= 4, () -> checks + " checks while one task waited 6 s");
    }
}
