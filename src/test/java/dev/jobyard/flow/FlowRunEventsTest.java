package dev.jobyard.flow;

import static dev.jobyard.testing.GraphQLClient.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Flows;
import dev.jobyard.testing.SubscriptionClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;

/** flowRunEvents shows a run's life over a real WebSocket; flowRuns lists runs by flow and status. */
@QuarkusTest
class FlowRunEventsTest {

    @TestHTTPResource("/graphql")
    URI graphql;

    @Test
    void aSubscriberSeesTheRunStartItsStepsMoveAndTheRunComplete() throws Exception {
        String slug = Flows.create(Flows.uniqueSlug("events"), List.of(
                Flows.step("a", "SINGLE", "test-flow-emit", List.of(), Map.of("emit", 1)),
                Flows.step("b", "SINGLE", "test-flow-emit", List.of("a"), Map.of("emit", 2))));
        try (SubscriptionClient client = SubscriptionClient.connect(URI.create(graphql.toString().replaceFirst("^http", "ws")))) {
            client.subscribe("1", "subscription($f: String) { flowRunEvents(flowSlug: $f) { type runId flowSlug stepSlug at "
                    + "run { status } } }", Map.of("f", slug));
            // The subscription is live once it delivers: start runs until one's RUN_STARTED arrives, then follow that run.
            String followed = null;
            List<String> types = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (followed == null && System.nanoTime() < deadline) {
                String id = Flows.start(slug, Map.of()).getString("id");
                JsonObject first = next(client, Duration.ofSeconds(2));
                while (first != null && followed == null) {
                    if (first.getString("runId").equals(id) && first.getString("type").equals("RUN_STARTED")) {
                        followed = id;
                        types.add("RUN_STARTED");
                    } else {
                        first = next(client, Duration.ofSeconds(2));
                    }
                }
            }
            assertTrue(followed != null, "no RUN_STARTED arrived");
            JsonObject last = null;
            while (!types.contains("RUN_COMPLETED")) {
                JsonObject e = next(client, Duration.ofSeconds(15));
                assertTrue(e != null, "events so far: " + types);
                if (e.getString("runId").equals(followed)) {
                    types.add(e.getString("type") + (e.getString("stepSlug") == null ? "" : " " + e.getString("stepSlug")));
                    last = e;
                }
            }
            assertEquals(List.of("RUN_STARTED", "STEP_STARTED a", "STEP_COMPLETED a", "STEP_STARTED b", "STEP_COMPLETED b",
                    "RUN_COMPLETED"), types);
            assertEquals("COMPLETED", last.getJsonObject("run").getString("status"));
            assertEquals(slug, last.getString("flowSlug"));
        }
    }

    @Test
    void flowRunsListsAFlowsRunsNewestFirstByStatus() {
        String slug = Flows.create(Flows.uniqueSlug("list"), List.of(Flows.step("m", "MAP", "test-flow-times10", List.of())));
        String first = Flows.start(slug, List.of()).getString("id");
        String second = Flows.start(slug, List.of()).getString("id");

        JsonPath page = ok("query($f: String) { flowRuns(flowSlug: $f, status: COMPLETED, first: 1) { nodes { id } endCursor hasNextPage } }",
                Map.of("f", slug)).setRootPath("data.flowRuns");
        assertEquals(List.of(second), page.getList("nodes.id"));
        assertTrue(page.getBoolean("hasNextPage"));
        JsonPath next = ok("query($f: String, $a: String) { flowRuns(flowSlug: $f, first: 5, after: $a) { nodes { id } hasNextPage } }",
                Map.of("f", slug, "a", page.getString("endCursor"))).setRootPath("data.flowRuns");
        assertEquals(List.of(first), next.getList("nodes.id"));
        assertEquals(List.of(), ok("query($f: String) { flowRuns(flowSlug: $f, status: FAILED) { nodes { id } } }",
                Map.of("f", slug)).getList("flowRuns.nodes"));
    }

    private static JsonObject next(SubscriptionClient client, Duration wait) throws InterruptedException {
        try {
            JsonObject data = client.nextData(wait);
            return data == null ? null : data.getJsonObject("flowRunEvents");
        } catch (AssertionError timedOut) {
            return null;
        }
    }
}
