package dev.jobyard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Jobs;
import dev.jobyard.testing.SubscriptionClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/** jobEvents delivers every status change, in order, over a real WebSocket (graphql-transport-ws). */
@QuarkusTest
class JobEventsSubscriptionTest {

    private static final String SUBSCRIPTION = """
            subscription($q: String) { jobEvents(queue: $q) { jobId queue kind status previousStatus attempt at error } }""";

    @TestHTTPResource("/graphql")
    URI graphql;

    private URI ws() {
        return URI.create(graphql.toString().replaceFirst("^http", "ws"));
    }

    @Test
    void aJobsLifeArrivesInOrder() throws Exception {
        String queue = Jobs.uniqueQueue();
        try (SubscriptionClient client = SubscriptionClient.connect(ws())) {
            client.subscribe("1", SUBSCRIPTION, Map.of("q", queue));
            client.awaitLiveJobEvents(queue);

            String id = Jobs.create(Map.of("kind", "echo", "queue", queue, "payload", Map.of("x", 1)));
            List<JsonObject> events = client.take(3, Duration.ofSeconds(10)).stream()
                    .map(d -> d.getJsonObject("jobEvents")).toList();

            assertEquals(List.of("PENDING", "RUNNING", "COMPLETED"), events.stream().map(e -> e.getString("status")).toList());
            assertNull(events.get(0).getString("previousStatus"));
            assertEquals("PENDING", events.get(1).getString("previousStatus"));
            assertEquals("RUNNING", events.get(2).getString("previousStatus"));
            events.forEach(e -> assertEquals(id, e.getString("jobId")));
            assertEquals(1, events.get(2).getInteger("attempt"));
        }
    }

    @Test
    void aJobStartedAsItWasCreatedArrivesAsCreatedThenClaimed() throws Exception {
        String queue = Jobs.uniqueQueue();
        // Once this replica serves the queue and its workers are idle, the next job is created already claimed.
        Jobs.awaitStatus(Jobs.create(Map.of("kind", "noop", "queue", queue)), "COMPLETED");
        try (SubscriptionClient client = SubscriptionClient.connect(ws())) {
            client.subscribe("1", SUBSCRIPTION, Map.of("q", queue));
            client.awaitLiveJobEvents(queue);

            var created = dev.jobyard.testing.GraphQLClient.ok("mutation($in: JobInput!) { createJob(input: $in) { id status } }",
                    Map.of("in", Map.of("kind", "echo", "queue", queue, "payload", Map.of("x", 1))));
            String id = created.getString("createJob.id");
            List<JsonObject> events = client.take(3, Duration.ofSeconds(10)).stream()
                    .map(d -> d.getJsonObject("jobEvents")).toList();

            assertEquals("RUNNING", created.getString("createJob.status"), "started as it was created");
            assertEquals(List.of("PENDING", "RUNNING", "COMPLETED"), events.stream().map(e -> e.getString("status")).toList());
            assertEquals("PENDING", events.get(1).getString("previousStatus"));
            events.forEach(e -> assertEquals(id, e.getString("jobId")));
        }
    }

    @Test
    void aRetryShowsAsRunningBackToPendingWithTheError() throws Exception {
        String queue = Jobs.uniqueQueue();
        try (SubscriptionClient client = SubscriptionClient.connect(ws())) {
            client.subscribe("1", SUBSCRIPTION, Map.of("q", queue));
            client.awaitLiveJobEvents(queue);

            Jobs.create(Map.of("kind", "test-flaky", "queue", queue, "payload", Map.of("succeedOn", 2)));
            List<JsonObject> events = client.take(5, Duration.ofSeconds(10)).stream()
                    .map(d -> d.getJsonObject("jobEvents")).toList();

            assertEquals(List.of("PENDING", "RUNNING", "PENDING", "RUNNING", "COMPLETED"),
                    events.stream().map(e -> e.getString("status")).toList());
            assertEquals("attempt 1 fails", events.get(2).getString("error"));
            assertEquals(2, events.get(4).getInteger("attempt"));
        }
    }
}
