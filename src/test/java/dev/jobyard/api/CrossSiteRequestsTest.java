package dev.jobyard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
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
 * A page on another origin can send a POST without a preflight only as text/plain, a form or multipart, and
 * can open a WebSocket to any host: neither may reach the API. JSON POSTs, and sockets from the service's
 * own origin or from non-browser clients, work as before.
 */
@QuarkusTest
class CrossSiteRequestsTest {

    @TestHTTPResource("/graphql")
    URI graphql;

    private URI ws() {
        return SubscriptionClient.webSocketOf(graphql);
    }

    private static String createIn(String queue) {
        return new JsonObject().put("query", "mutation { createJob(input: {kind: \"noop\", queue: \"" + queue + "\"}) { id } }").encode();
    }

    private static void assertNothingIn(String queue) {
        assertEquals(List.of(), GraphQLClient.ok("query($q: String) { jobs(queue: $q) { nodes { id } } }",
                Map.of("q", queue)).getList("jobs.nodes"));
        assertEquals(List.of(), GraphQLClient.ok("query($q: String) { jobHistory(queue: $q) { nodes { id } } }",
                Map.of("q", queue)).getList("jobHistory.nodes"));
    }

    @Test
    void aSimpleCrossSitePostIsRefusedAndCreatesNothing() {
        for (String type : List.of("text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x")) {
            String queue = Jobs.uniqueQueue();
            GraphQLClient.Answer response = GraphQLClient.postRaw(type, createIn(queue));
            assertEquals(415, response.statusCode(), type + ": " + response.asString());
            assertEquals("BAD_USER_INPUT", response.jsonPath().getString("errors[0].extensions.code"));
            assertNothingIn(queue);
        }
    }

    @Test
    void jsonPostsWork() {
        for (String type : List.of("application/json", "application/json; charset=utf-8", "application/graphql-response+json")) {
            String queue = Jobs.uniqueQueue();
            GraphQLClient.Answer response = GraphQLClient.postRaw(type, createIn(queue));
            assertEquals(200, response.statusCode(), type + ": " + response.asString());
            assertNull(response.jsonPath().get("errors"), response.asString());
        }
    }

    @Test
    void aSocketFromAForeignOriginGetsNoUpgrade() throws Exception {
        int status = SubscriptionClient.handshakeStatus(ws(), Map.of("Origin", "https://evil.example"));
        assertNotEquals(101, status);
        assertEquals(403, status);
        // Same host name, other port: another origin too.
        assertEquals(403, SubscriptionClient.handshakeStatus(ws(), Map.of("Origin", "http://" + graphql.getHost() + ":1")));
    }

    @Test
    void aSocketFromTheSameOriginOrWithoutOneWorks() throws Exception {
        String self = "http://" + graphql.getHost() + ":" + graphql.getPort();
        try (SubscriptionClient sameOrigin = SubscriptionClient.connect(ws(), Map.of("Origin", self));
                SubscriptionClient noBrowser = SubscriptionClient.connect(ws())) {
            sameOrigin.subscribe("1", "subscription { jobEvents(queue: \"none\") { jobId } }", Map.of());
            noBrowser.subscribe("1", "subscription { jobEvents(queue: \"none\") { jobId } }", Map.of());
        }
    }
}
