package dev.jobyard.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.jobyard.config.JobyardConfig;
import dev.jobyard.maintenance.RetentionStore;

import dev.jobyard.testing.GraphQLClient;
import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Creating again with the same idempotencyKey returns the existing job and creates nothing, for the key's
 * own window (jobyard.idempotency.key-retention), whatever happened to the job's history.
 */
@QuarkusTest
class IdempotencyTest {

    @Inject
    RetentionStore retention;
    @Inject
    JobyardConfig config;

    @Test
    void theSameKeyReturnsTheSameJob() {
        String queue = Jobs.uniqueQueue();
        String key = "order-" + UUID.randomUUID();
        Map<String, Object> input = Map.of("kind", "noop", "queue", queue, "idempotencyKey", key);

        String first = Jobs.create(input);
        String second = Jobs.create(input);

        assertEquals(first, second);
        Jobs.awaitStatus(first, "COMPLETED");
        assertEquals(first, Jobs.create(input), "the key holds after the job is archived");
        assertEquals(1, GraphQLClient.ok("{ queues { name completed } }").getList("queues").stream()
                .map(q -> (Map<?, ?>) q).filter(q -> queue.equals(q.get("name")))
                .mapToInt(q -> ((Number) q.get("completed")).intValue()).sum());
    }

    @Test
    void aBatchItemWithAKnownKeyIsAnsweredWithTheExistingJob() {
        String queue = Jobs.uniqueQueue();
        String key = "k-" + UUID.randomUUID();
        String existing = Jobs.create(Map.of("kind", "noop", "queue", queue, "idempotencyKey", key));

        List<String> ids = Jobs.createAll(List.of(
                Map.of("kind", "noop", "queue", queue, "idempotencyKey", key, "ref", "old"),
                Map.of("kind", "noop", "queue", queue, "dependsOnRefs", List.of("old"))));

        assertEquals(existing, ids.get(0));
        Jobs.awaitStatus(ids.get(1), "COMPLETED");
    }

    @Test
    void cleanupHistoryDoesNotEndAKeysWindow() {
        // Given a job created with a key, finished, and removed from history by cleanupHistory,
        String key = "pay-" + UUID.randomUUID();
        Map<String, Object> input = Map.of("kind", "noop", "queue", Jobs.uniqueQueue(), "idempotencyKey", key);
        String first = Jobs.create(input);
        Jobs.awaitStatus(first, "COMPLETED");
        GraphQLClient.ok("mutation { cleanupHistory(olderThanDays: 0) }");
        assertEquals("NOT_FOUND", GraphQLClient.execute("query($id: ID!) { job(id: $id) { id } }", Map.of("id", first))
                .getString("errors[0].extensions.code"));

        // when the client retries with the same key within the key's window,
        var retried = GraphQLClient.execute("mutation($in: JobInput!) { createJob(input: $in) { id } }", Map.of("in", input));

        // then no second job is made, and the answer says why, naming the field.
        assertEquals("CONFLICT", retried.getString("errors[0].extensions.code"));
        assertTrue(retried.getString("errors[0].message").contains("input.idempotencyKey"), retried.getString("errors[0].message"));
        assertEquals(0L, jobsWithKey(key));
    }

    @Test
    void aKeyIsForgottenAfterItsWindowUnlessItsJobIsStillActive() {
        // Given two keys created more than a day ago: one whose job finished, one whose job still waits (paused queue),
        String done = "old-" + UUID.randomUUID();
        String doneId = Jobs.create(Map.of("kind", "noop", "queue", Jobs.uniqueQueue(), "idempotencyKey", done));
        Jobs.awaitStatus(doneId, "COMPLETED");
        String paused = Jobs.uniqueQueue();
        Jobs.pause(paused);
        String waiting = "waiting-" + UUID.randomUUID();
        Map<String, Object> waitingInput = Map.of("kind", "noop", "queue", paused, "idempotencyKey", waiting);
        String waitingId = Jobs.create(waitingInput);
        Jdbc.update("UPDATE jobyard.job_key SET created_at = now() - interval '25 hours' WHERE idempotency_key = ANY(?)",
                List.of(done, waiting));

        // when the keys' window (24 h by default) is swept,
        retention.forgetKeysOlderThan(config.idempotency().keyRetention());

        // then the finished job's key makes a new job, and the waiting job's key still answers with it.
        String again = Jobs.create(Map.of("kind", "noop", "queue", Jobs.uniqueQueue(), "idempotencyKey", done));
        assertNotEquals(doneId, again);
        assertEquals(waitingId, Jobs.create(waitingInput));
        Jobs.resume(paused);
        Jobs.awaitStatus(waitingId, "COMPLETED");
    }

    private static long jobsWithKey(String key) {
        return ((Number) Jdbc.value("SELECT (SELECT count(*) FROM jobyard.job WHERE idempotency_key = ?)"
                + " + (SELECT count(*) FROM jobyard.job_history WHERE idempotency_key = ?)", key, key)).longValue();
    }
}
