package dev.jobyard.event;

import static dev.jobyard.testing.GraphQLClient.execute;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Await;
import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.Jobs;
import dev.jobyard.testing.TestHandlers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The reported case, end to end with workers on: createJobs of 45 jobs in a queue whose name has 100
 * characters answered "System error" (code pg) because its NOTIFY went over 8,000 bytes. Now they are
 * created, started (some at once, on creation), claimed and completed like any other.
 */
@QuarkusTest
class LongestNamesRunEndToEndTest {

    @Test
    void fortyFiveJobsOfTheLongestKindInTheLongestQueueAllComplete() {
        String queue = (Jobs.uniqueQueue() + "-").concat("q".repeat(100)).substring(0, 100);
        // A first job makes this replica serve the queue, so that the batch below starts partly on creation.
        Jobs.awaitStatus(Jobs.create(Map.of("kind", "noop", "queue", queue)), "COMPLETED");
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (int i = 0; i < 45; i++) {
            inputs.add(Map.of("kind", TestHandlers.LongestKind.KIND, "queue", queue));
        }

        JsonPath created = execute("mutation($in: [JobInput!]!) { createJobs(inputs: $in) { id } }", Map.of("in", inputs));

        assertNull(created.get("errors"), () -> "createJobs answered " + created.get("errors"));
        assertEquals(45, created.getList("data.createJobs.id").size());
        Await.until(Duration.ofSeconds(30), () -> Jdbc.<Long>value(
                "SELECT count(*) FROM jobyard.job_history WHERE queue = ? AND status = 'COMPLETED'", queue),
                n -> n == 46L, "all jobs of the queue to complete");
    }
}
