package dev.jobyard.durable;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Durable;
import dev.jobyard.testing.Jobs;
import dev.jobyard.testing.SubscriptionClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/** jobEvents shows a durable task parking (RUNNING → WAITING) and waking (WAITING → PENDING), in order. */
@QuarkusTest
class DurableJobEventsTest {

    private static final String SUBSCRIPTION = """
            subscription($q: String) { jobEvents(queue: $q) { jobId status previousStatus attempt } }""";

    @TestHTTPResource("/graphql")
    URI graphql;

    @Test
    void aWaitingTasksParkingAndWakingArriveAsEvents() throws Exception {
        String queue = Jobs.uniqueQueue();
        String event = "go-" + queue;
        try (SubscriptionClient client = SubscriptionClient.connect(URI.create(graphql.toString().replaceFirst("^http", "ws")))) {
            client.subscribe("1", SUBSCRIPTION, Map.of("q", queue));
            client.awaitLiveJobEvents(queue);

            String id = Durable.script(queue, List.of(Map.of("op", "waitForEvent", "key", "w", "event", event)));
            List<JsonObject> parked = client.take(3, Duration.ofSeconds(10)).stream()
                    .map(d -> d.getJsonObject("jobEvents")).toList();
            assertEquals(List.of("PENDING", "RUNNING", "WAITING"), parked.stream().map(e -> e.getString("status")).toList());
            assertEquals("RUNNING", parked.get(2).getString("previousStatus"));

            assertEquals(1, Durable.emit(event, Map.of("ok", true)));
            List<JsonObject> woken = client.take(3, Duration.ofSeconds(10)).stream()
                    .map(d -> d.getJsonObject("jobEvents")).toList();

            assertEquals(List.of("PENDING", "RUNNING", "COMPLETED"), woken.stream().map(e -> e.getString("status")).toList());
            assertEquals("WAITING", woken.get(0).getString("previousStatus"));
            woken.forEach(e -> assertEquals(id, e.getString("jobId")));
            assertEquals(1, woken.get(2).getInteger("attempt"), "parking counted no attempt");
        }
    }
}
