package dev.jobyard.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.GraphQLClient;
import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;

/** Creating again with the same idempotencyKey returns the existing job and creates nothing. */
@QuarkusTest
class IdempotencyTest {

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
}
