package dev.jobyard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/** Limits small enough to reach in a test: response bytes, sockets per client, a client that stops reading. */
@QuarkusTest
@TestProfile(TightApiLimitsTest.Tight.class)
class TightApiLimitsTest {

    public static class Tight implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("jobyard.api.max-response-bytes", "20000", "jobyard.api.max-sockets-per-client", "2",
                    "jobyard.api.max-queued-messages", "5");
        }
    }

    @TestHTTPResource("/graphql")
    URI graphql;

    private URI ws() {
        return SubscriptionClient.webSocketOf(graphql);
    }

    private int handshake() {
        try {
            return SubscriptionClient.handshakeStatus(ws(), Map.of());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aResponseOverTheLimitIsCutWithAnError() {
        String id = Jobs.create(Map.of("kind", "noop", "queue", Jobs.uniqueQueue(), "delaySeconds", 3600,
                "payload", Map.of("blob", "x".repeat(9_000))));
        JsonPath result = GraphQLClient.execute("query($id: ID!) { a: job(id: $id) { payload } b: job(id: $id) { payload } "
                + "c: job(id: $id) { payload } }", Map.of("id", id));
        assertEquals("BAD_USER_INPUT", result.getString("errors[0].extensions.code"), result.prettify());
        assertTrue(result.getString("errors[0].message").contains("jobyard.api.max-response-bytes"), result.prettify());
        assertNull(result.get("data.c.payload"));
        assertEquals(1, result.getList("errors").size(), result.prettify());
    }

    @Test
    void oneClientGetsAtMostItsSockets() throws Exception {
        try (SubscriptionClient first = SubscriptionClient.connect(ws())) {
            try (SubscriptionClient second = SubscriptionClient.connect(ws())) {
                assertEquals(429, SubscriptionClient.handshakeStatus(ws(), Map.of()));
            }
            // A closed socket is given back.
            dev.jobyard.testing.Await.until(Duration.ofSeconds(10), this::handshake, status -> status == 101,
                    "a socket free again after one was closed");
        }
    }

    @Test
    void aClientThatStopsReadingIsClosedWith4503() throws Exception {
        try (SubscriptionClient client = SubscriptionClient.connect(ws())) {
            for (int i = 0; i < 50; i++) {
                client.subscribe("s" + i, "subscription { jobEvents { jobId queue kind status previousStatus attempt at } }", Map.of());
            }
            client.stopReading();
            String queue = Jobs.uniqueQueue();
            List<Map<String, Object>> burst = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                burst.add(Map.of("kind", "noop", "queue", queue));
            }
            Jobs.createAll(burst);
            client.resumeReading();
            assertEquals(4503, client.closeCode(Duration.ofSeconds(60)));
        }
        Jobs.awaitStatus(Jobs.create(Map.of("kind", "noop", "queue", Jobs.uniqueQueue())), "COMPLETED"); // it still works
    }
}
