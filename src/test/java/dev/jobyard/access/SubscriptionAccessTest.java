package dev.jobyard.access;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.SubscriptionClient;
import dev.jobyard.testing.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

/**
 * Subscriptions authenticate in connection_init (browsers cannot set headers on a WebSocket): without valid
 * credentials the socket is closed with 4403 before any operation; when they expire, with 4401.
 */
@QuarkusTest
@TestProfile(AuthOn.class)
class SubscriptionAccessTest {

    @TestHTTPResource("/graphql")
    URI graphql;

    private URI ws() {
        return SubscriptionClient.webSocketOf(graphql);
    }

    @Test
    void aSocketWithoutCredentialsIsClosedWith4403() throws Exception {
        try (SubscriptionClient client = SubscriptionClient.open(ws(), Map.of(), new JsonObject())) {
            assertEquals(4403, client.closeCode(Duration.ofSeconds(10)));
        }
    }

    @Test
    void aSocketWithAnExpiredOrForgedTokenIsClosedWith4403() throws Exception {
        for (String token : new String[] {TestTokens.expiringToken(Duration.ofMinutes(-1), "viewer"),
                TestTokens.forgedToken("viewer"), "jy_unknown"}) {
            try (SubscriptionClient client = SubscriptionClient.open(ws(), Map.of(),
                    new JsonObject().put("Authorization", "Bearer " + token))) {
                assertEquals(4403, client.closeCode(Duration.ofSeconds(10)));
            }
        }
    }

    @Test
    void aSocketIsClosedWith4401WhenItsTokenExpires() throws Exception {
        String token = TestTokens.expiringToken(Duration.ofSeconds(3), "viewer");
        try (SubscriptionClient client = SubscriptionClient.connectWith(ws(), new JsonObject().put("Authorization", "Bearer " + token))) {
            client.subscribe("1", "subscription { jobEvents { jobId } }", Map.of());
            assertEquals(4401, client.closeCode(Duration.ofSeconds(20)));
        }
    }

    @Test
    void revokingAKeyThroughTheApiClosesItsSocketsWith4403() throws Exception {
        io.restassured.path.json.JsonPath key = Keys.created("VIEWER", null);
        String id = key.getString("createApiKey.apiKey.id");
        try (SubscriptionClient first = SubscriptionClient.connectWith(ws(), new JsonObject().put("apiKey", key.getString("createApiKey.key")));
                SubscriptionClient second = SubscriptionClient.connectWith(ws(),
                        new JsonObject().put("Authorization", "Bearer " + key.getString("createApiKey.key")));
                SubscriptionClient other = SubscriptionClient.connectWith(ws(), new JsonObject().put("apiKey", Keys.create("VIEWER")))) {
            for (SubscriptionClient client : new SubscriptionClient[] {first, second, other}) {
                client.subscribe("1", "subscription { jobEvents { jobId } }", Map.of());
            }
            dev.jobyard.testing.GraphQLClient.okAs(AuthOn.BOOTSTRAP, "mutation($id: ID!) { revokeApiKey(id: $id) { id } }",
                    Map.of("id", id));
            assertEquals(4403, first.closeCode(Duration.ofSeconds(10)));
            assertEquals(4403, second.closeCode(Duration.ofSeconds(10)));
            // Another key's socket stays open: it still receives events.
            String queue = dev.jobyard.testing.Jobs.uniqueQueue();
            other.subscribe("2", "subscription($q: String) { jobEvents(queue: $q) { jobId } }", Map.of("q", queue));
            dev.jobyard.testing.Await.until(Duration.ofSeconds(30), () -> {
                dev.jobyard.testing.GraphQLClient.okAs(AuthOn.BOOTSTRAP, "mutation($q: String) { createJob(input: {kind: \"noop\", "
                        + "queue: $q, delaySeconds: 3600}) { id } }", Map.of("q", queue));
                try {
                    JsonObject data = other.nextMessageOrNull(Duration.ofSeconds(2));
                    return data != null && "next".equals(data.getString("type"));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, seen -> seen, "an event on the other key's socket");
        }
    }

    /** Revoked by another replica (here: in the table, as its revokeApiKey does): closed within the key cache's period. */
    @Test
    void aKeyRevokedElsewhereClosesItsSocketWithinTheCachePeriod() throws Exception {
        io.restassured.path.json.JsonPath key = Keys.created("VIEWER", null);
        try (SubscriptionClient client = SubscriptionClient.connectWith(ws(), new JsonObject().put("apiKey", key.getString("createApiKey.key")))) {
            client.subscribe("1", "subscription { jobEvents { jobId } }", Map.of());
            dev.jobyard.testing.Jdbc.update("UPDATE jobyard.api_key SET revoked_at = now() WHERE id = ?",
                    Long.parseLong(key.getString("createApiKey.apiKey.id")));
            // jobyard.auth.key-cache-ttl is 10 s: looked up again after at most that, checked every 10 s.
            assertEquals(4403, client.closeCode(Duration.ofSeconds(40)));
        }
    }

    @Test
    void aSocketIsClosedWith4401WhenItsKeyExpires() throws Exception {
        String expiring = dev.jobyard.testing.GraphQLClient.okAs(AuthOn.BOOTSTRAP, "mutation($in: ApiKeyInput!) { createApiKey(input: $in) { key } }",
                Map.of("in", Map.of("name", "expiring-" + java.util.UUID.randomUUID(), "role", "VIEWER",
                        "expiresAt", java.time.OffsetDateTime.now().plusSeconds(4).toString()))).getString("createApiKey.key");
        try (SubscriptionClient client = SubscriptionClient.connectWith(ws(), new JsonObject().put("apiKey", expiring))) {
            client.subscribe("1", "subscription { jobEvents { jobId } }", Map.of());
            assertEquals(4401, client.closeCode(Duration.ofSeconds(20)));
        }
    }

    @Test
    void aKeyInTheInitPayloadOpensTheSocket() throws Exception {
        String viewer = Keys.create("VIEWER");
        try (SubscriptionClient client = SubscriptionClient.connectWith(ws(), new JsonObject().put("apiKey", viewer))) {
            String queue = dev.jobyard.testing.Jobs.uniqueQueue();
            client.subscribe("1", "subscription($q: String) { jobEvents(queue: $q) { jobId queue } }", Map.of("q", queue));
            JsonObject event = dev.jobyard.testing.Await.until(Duration.ofSeconds(30), () -> {
                dev.jobyard.testing.GraphQLClient.okAs(AuthOn.BOOTSTRAP, "mutation($q: String) { createJob(input: {kind: \"noop\", "
                        + "queue: $q, delaySeconds: 3600}) { id } }", Map.of("q", queue));
                try {
                    JsonObject data = client.nextMessageOrNull(Duration.ofSeconds(2));
                    return data != null && "next".equals(data.getString("type")) ? data : null;
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, data -> data != null, "an event on the key's socket");
            assertEquals(queue, event.getJsonObject("payload").getJsonObject("data").getJsonObject("jobEvents").getString("queue"));
        }
    }
}
