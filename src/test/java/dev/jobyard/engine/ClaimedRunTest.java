package dev.jobyard.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.PriorityBlockingQueue;

import org.junit.jupiter.api.Test;

import dev.jobyard.job.ClaimedJob;
import io.vertx.core.json.JsonObject;

/** Jobs waiting for a thread start in the claim's order, whatever order they were claimed in. */
class ClaimedRunTest {

    private static final OffsetDateTime T = OffsetDateTime.parse("2026-11-27T12:00:00Z");

    @Test
    void aJobReleasedAfterABatchWasClaimedOvertakesTheBatchWhenTheClaimWouldPickItFirst() {
        PriorityBlockingQueue<ClaimedRun> waiting = new PriorityBlockingQueue<>();
        List<Long> started = new ArrayList<>();
        // Given a batch of later chains' first jobs waiting for a thread
        for (long id = 20; id < 25; id++) {
            waiting.add(run(id, 0, T, started));
        }
        // When a dependent of an earlier chain (lower id, same due time) is claimed afterwards
        waiting.add(run(11, 0, T, started));
        // and an urgent job after that
        waiting.add(run(30, 5, T.plusSeconds(1), started));
        // and a job that was due earlier
        waiting.add(run(40, 0, T.minusSeconds(1), started));
        while (!waiting.isEmpty()) {
            waiting.poll().run();
        }
        // Then they start by priority, then due time, then id
        assertEquals(List.of(30L, 40L, 11L, 20L, 21L, 22L, 23L, 24L), started);
    }

    private static ClaimedRun run(long id, int priority, OffsetDateTime runAt, List<Long> started) {
        ClaimedJob job = new ClaimedJob(id, "default", "noop", null, new JsonObject(), new JsonObject(), 1, 3, null, "w",
                1, priority, runAt, false);
        return new ClaimedRun(job, () -> started.add(id));
    }
}
