package dev.jobyard.chain;

import static dev.jobyard.testing.GraphQLClient.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobyard.command.CommandsEnabled;
import dev.jobyard.testing.Chains;
import dev.jobyard.testing.SubscriptionClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

/** chainEvents reports a chain's definition changes and each run's tasks over a real WebSocket. */
@QuarkusTest
@TestProfile(CommandsEnabled.class)
class ChainEventsSubscriptionTest {

    @TestHTTPResource("/graphql")
    URI graphql;

    @Test
    void createRunTasksEndPauseResumeDelete() throws Exception {
        try (SubscriptionClient client = SubscriptionClient.connect(URI.create(graphql.toString().replaceFirst("^http", "ws")))) {
            client.subscribe("1", "subscription { chainEvents { chainId chainName type runId taskId at detail } }", Map.of());
            // Live once a probe chain's deletion is reported; the events read meanwhile are the probes'.
            client.awaitLive(Duration.ofSeconds(60), Duration.ofSeconds(5), () -> {
                String probe = Chains.create(Map.of("tasks", List.of(Chains.sql("SELECT 1")))).getString("id");
                Chains.delete(probe);
                return probe;
            }, (probe, data) -> probe.equals(data.getJsonObject("chainEvents").getString("chainId"))
                    && "DELETED".equals(data.getJsonObject("chainEvents").getString("type")));

            String id = Chains.create(Map.of("tasks", List.of(Chains.sql("SELECT 1"),
                    Map.of("command", "SELECT 1/0", "ignoreError", true)))).getString("id");
            Chains.run(id);
            List<String> types = new ArrayList<>();
            while (!types.contains("COMPLETED")) {
                types.addAll(mine(client, id));
            }
            ok("mutation($id: ID!) { pauseChain(id: $id) { id } }", Map.of("id", id));
            ok("mutation($id: ID!) { resumeChain(id: $id) { id } }", Map.of("id", id));
            ok("mutation($id: ID!) { updateChain(id: $id, input: {description: \"x\"}) { id } }", Map.of("id", id));
            Chains.delete(id);
            while (!types.contains("DELETED")) {
                types.addAll(mine(client, id));
            }

            assertEquals(List.of("CREATED", "STARTED", "TASK_SUCCEEDED", "TASK_FAILED", "COMPLETED", "PAUSED", "RESUMED",
                    "UPDATED", "DELETED"), types);
        }
    }

    /** The type of the next event, if it is of chain {@code id}. */
    private static List<String> mine(SubscriptionClient client, String id) throws InterruptedException {
        JsonObject event = client.nextData(Duration.ofSeconds(10)).getJsonObject("chainEvents");
        return id.equals(event.getString("chainId")) ? List.of(event.getString("type")) : List.of();
    }
}
