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
