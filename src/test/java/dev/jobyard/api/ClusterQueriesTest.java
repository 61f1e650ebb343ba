package dev.jobyard.api;

import static dev.jobyard.testing.GraphQLClient.ok;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Await;
import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;

/** workers, stats and the health probes describe the running service truthfully. */
@QuarkusTest
class ClusterQueriesTest {

    @Test
    void theOnlyReplicaIsListedAndLeads() {
        List<Map<String, Object>> workers = Await.until(Duration.ofSeconds(10),
                () -> ok("{ workers { nodeId host startedAt lastHeartbeat queues { name concurrency } runningJobs leader } }")
                        .getList("workers"),
                list -> list.stream().anyMatch(w -> Boolean.TRUE.equals(((Map<?, ?>) w).get("leader"))),
                "this replica to report itself as leader");
        Map<String, Object> me = workers.stream().filter(w -> Boolean.TRUE.equals(w.get("leader"))).findFirst().orElseThrow();
        assertTrue(((List<?>) me.get("queues")).contains(Map.of("name", "default", "concurrency", 8)), me.toString());
    }

    @Test
    void statsCountFinishedJobsAndTheirDurations() {
        String queue = Jobs.uniqueQueue();
        String ok1 = Jobs.create(Map.of("kind", "sleep", "queue", queue, "payload", Map.of("ms", 20)));
        String bad = Jobs.create(Map.of("kind", "test-fail", "queue", queue, "maxAttempts", 1));
        Jobs.awaitStatus(ok1, "COMPLETED");
        Jobs.awaitStatus(bad, "FAILED");

        var stats = ok("{ stats { byStatus { status count } byQueue { queue status count } completedLastMinute "
                + "failedLastMinute completedLastHour failedLastHour meanDurationMs p95DurationMs } }").setRootPath("data.stats");

        List<Map<String, Object>> byQueue = stats.getList("byQueue");
        assertTrue(byQueue.contains(Map.of("queue", queue, "status", "COMPLETED", "count", 1)), byQueue.toString());
        assertTrue(byQueue.contains(Map.of("queue", queue, "status", "FAILED", "count", 1)), byQueue.toString());
        assertTrue(stats.getLong("completedLastMinute") >= 1);
        assertTrue(stats.getLong("failedLastMinute") >= 1);
        assertTrue(stats.getDouble("p95DurationMs") >= 0);
    }

    @Test
    void readinessReportsTheDatabaseAndTheWorkerPool() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("database"))
                .body("checks.name", hasItem("worker-pool"));
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        assertEquals("RUNNING", given().get("/q/health/ready").jsonPath()
                .getString("checks.find { it.name == 'worker-pool' }.data.state"));
    }

    @Test
    void theLogHandlerWritesToTheJobsLog() {
        String id = Jobs.create(Map.of("kind", "log", "queue", Jobs.uniqueQueue(),
                "payload", Map.of("message", "hello log", "level", "warn")));
        Jobs.awaitStatus(id, "COMPLETED");
        var lines = ok("query($id: ID!) { jobLogs(jobId: $id) { level message attempt } }", Map.of("id", id));
        assertEquals(List.of(Map.of("level", "WARN", "message", "hello log", "attempt", 1)), lines.getList("jobLogs"));
    }
}
