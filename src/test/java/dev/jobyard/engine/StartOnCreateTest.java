package dev.jobyard.engine;

import static dev.jobyard.testing.GraphQLClient.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Await;
import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * A job created through a replica that has an idle worker for its queue is inserted already claimed by that
 * replica and starts at once, without a notification and a claim; otherwise it waits PENDING for a claim.
 */
@QuarkusTest
class StartOnCreateTest {

    private static JsonPath create(Map<String, Object> input) {
        return ok("mutation($in: JobInput!) { createJob(input: $in) { id status worker attempts createdAt startedAt } }",
                Map.of("in", input)).setRootPath("data.createJob");
    }

    /**
     * A queue this replica runs for good (configured in the test profile), with every worker idle once its
     * own job is done. Not an unconfigured queue: that one may give its place to a waiting queue of another
     * test the moment it goes idle (ServedQueues), and then its next job would rightly wait PENDING.
     */
    private static String servedIdleQueue() {
        String queue = "served";
        Jobs.awaitStatus(Jobs.create(Map.of("kind", "noop", "queue", queue)), "COMPLETED");
        return queue;
    }

    @Test
    void aJobForAnIdleQueueIsCreatedRunningAndCompletesOnce() {
        String queue = servedIdleQueue();

        JsonPath created = create(Map.of("kind", "echo", "queue", queue, "payload", Map.of("n", 1)));

        assertEquals("RUNNING", created.getString("status"));
        assertEquals(1, created.getInt("attempts"));
        assertNotNull(created.getString("worker"));
        assertEquals(OffsetDateTime.parse(created.getString("createdAt")), OffsetDateTime.parse(created.getString("startedAt")),
                "claimed by the statement that created it");
        JsonPath done = Jobs.awaitStatus(created.getString("id"), "COMPLETED");
        assertEquals(1, done.getInt("attempts"));
        assertEquals(1, done.getInt("result.n"));
        assertEquals(created.getString("worker"), done.getString("worker"));
    }

    @Test
    void aJobForAPausedQueueWaits() {
        String queue = servedIdleQueue();
        Jobs.pause(queue);

        JsonPath created = create(Map.of("kind", "noop", "queue", queue));

        assertEquals("PENDING", created.getString("status"));
        Jobs.resume(queue);
        Jobs.awaitStatus(created.getString("id"), "COMPLETED");
    }

    @Test
    void aJobDueLaterWaits() {
        String queue = servedIdleQueue();

        JsonPath created = create(Map.of("kind", "noop", "queue", queue, "delaySeconds", 1));

        assertEquals("PENDING", created.getString("status"));
        Jobs.awaitStatus(created.getString("id"), "COMPLETED", Duration.ofSeconds(10));
    }

    @Test
    void aJobWaitsWhileEveryWorkerOfItsQueueIsBusy() {
        // "narrow" has one worker on this replica (application.properties, test profile).
        Jobs.awaitStatus(Jobs.create(Map.of("kind", "noop", "queue", "narrow")), "COMPLETED");
        String busy = Jobs.create(Map.of("kind", "sleep", "queue", "narrow", "payload", Map.of("ms", 1500)));
        Await.until(Duration.ofSeconds(5), () -> Jobs.status(busy), "RUNNING"::equals, "the sleeper to run");

        JsonPath created = create(Map.of("kind", "noop", "queue", "narrow"));

        assertEquals("PENDING", created.getString("status"));
        Jobs.awaitStatus(created.getString("id"), "COMPLETED", Duration.ofSeconds(10));
    }
}
