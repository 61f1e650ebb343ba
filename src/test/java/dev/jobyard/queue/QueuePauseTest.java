package dev.jobyard.queue;

import static dev.jobyard.testing.GraphQLClient.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;

/** A paused queue accepts jobs but starts none until resumed; queues shows it with its counts. */
@QuarkusTest
class QueuePauseTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> queue(String name) {
        List<Map<String, Object>> queues = ok("{ queues { name concurrency paused pending running completed failed cancelled } }")
                .getList("queues");
        return queues.stream().filter(q -> name.equals(q.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("queue " + name + " not listed in " + queues));
    }

    @Test
    void aPausedQueueHoldsItsJobsUntilResumed() {
        String name = Jobs.uniqueQueue();
        var paused = ok("mutation($q: String!) { pauseQueue(name: $q) { name paused } }", Map.of("q", name));
        assertTrue(paused.getBoolean("pauseQueue.paused"));

        String id = Jobs.create(Map.of("kind", "noop", "queue", name));
        // A job created after it in another queue of the same kind (unconfigured: both on the shared fetcher, woken in
        // the order of their notifications) runs to the end: the paused one had its turn meanwhile, and was left.
        Jobs.awaitStatus(Jobs.create(Map.of("kind", "noop", "queue", Jobs.uniqueQueue())), "COMPLETED");

        assertEquals("PENDING", Jobs.status(id));
        Map<String, Object> listed = queue(name);
        assertEquals(true, listed.get("paused"));
        assertEquals(1, listed.get("pending"));
        assertEquals(8, listed.get("concurrency"));

        Jobs.resume(name);
        Jobs.awaitStatus(id, "COMPLETED");
        Map<String, Object> after = queue(name);
        assertEquals(false, after.get("paused"));
        assertEquals(1, after.get("completed"));
        assertEquals(0, after.get("pending"));
    }

    @Test
    void configuredQueuesAreListedBeforeAnyJobUsesThem() {
        assertEquals(8, queue("default").get("concurrency"));
    }
}
