package dev.jobyard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.GraphQLClient;
import dev.jobyard.testing.Jobs;
import dev.jobyard.testing.SubscriptionClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * One socket cannot stop a replica: a flood of subscribe messages closes it with 4413, a message nested too
 * deep with 4400, and many unfiltered subscriptions under a burst of jobs keep the event loop free, so
 * leases are renewed and no job is taken back from its worker.
 */
@QuarkusTest
class SocketLimitsTest {

    private static final String ALL_EVENTS = "subscription { jobEvents { jobId status } }";

    @TestHTTPResource("/graphql")
    URI graphql;

    private URI ws() {
        return SubscriptionClient.webSocketOf(graphql);
    }

    @Test
    void twentyThousandSubscribeMessagesCloseTheSocketAndTheReplicaLives() throws Exception {
        try (SubscriptionClient client = SubscriptionClient.connect(ws())) {
            int sent = 0;
            while (sent < 20_000 && client.sendRaw(new JsonObject().put("id", "s" + sent).put("type", "subscribe")
                    .put("payload", new JsonObject().put("query", ALL_EVENTS)).encode())) {
                sent++;
            }
            assertEquals(4413, client.closeCode(Duration.ofSeconds(30)));
            assertTrue(sent < 20_000 || sent >= 256, "sent " + sent);
        }
        assertTrue(GraphQLClient.ok("{ stats { completedLastMinute } }").getInt("stats.completedLastMinute") >= 0);
    }

    @Test
    void aMessageNestedTooDeepClosesTheSocket() throws Exception {
        try (SubscriptionClient client = SubscriptionClient.connect(ws())) {
            client.sendRaw("{\"id\": \"1\", \"type\": \"subscribe\", \"payload\": {\"query\": \"" + ALL_EVENTS
                    + "\", \"variables\": {\"x\": " + "[".repeat(600) + "]".repeat(600) + "}}}");
            assertEquals(4400, client.closeCode(Duration.ofSeconds(30)));
        }
        assertTrue(GraphQLClient.ok("{ stats { completedLastMinute } }").getInt("stats.completedLastMinute") >= 0);
    }

    @Test
    void twoHundredUnfilteredSubscriptionsDoNotStallTheEventLoop() throws Exception {
        String queue = Jobs.uniqueQueue();
        // Longer than two leases (3 s in tests): it finishes on its first attempt only if its lease is renewed throughout.
        String longJob = Jobs.create(Map.of("kind", "sleep", "queue", queue, "payload", Map.of("ms", 10_000)));
        Jobs.awaitStatus(longJob, "RUNNING");
        try (SubscriptionClient client = SubscriptionClient.connect(ws())) {
            for (int i = 0; i < 200; i++) {
                client.subscribe("s" + i, ALL_EVENTS, Map.of());
            }
            // In calls of 100: the subject is the events' fan-out, not the cost of one huge mutation.
            List<String> ids = new ArrayList<>();
            for (int call = 0; call < 30; call++) {
                List<Map<String, Object>> burst = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    burst.add(Map.of("kind", "noop", "queue", queue));
                }
                ids.addAll(Jobs.createAll(burst));
            }
            var done = Jobs.awaitStatus(longJob, "COMPLETED", Duration.ofSeconds(60));
            assertEquals(1, done.getInt("attempts"), "the long job was taken back from its worker: its lease lapsed");
            for (String id : List.of(ids.get(0), ids.get(1499), ids.get(2999))) {
                Jobs.awaitStatus(id, "COMPLETED", Duration.ofSeconds(60));
            }
        }
    }
}
