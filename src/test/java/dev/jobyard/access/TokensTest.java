package dev.jobyard.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.GraphQLClient;
import dev.jobyard.testing.Jobs;
import dev.jobyard.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Bearer JWTs from an OpenID Connect provider, configured with the four settings only: checked against the
 * provider's JWKS, issuer, audience and expiry; the role comes from the roles claim (a dotted path here).
 */
@QuarkusTest
@TestProfile(AuthOn.class)
class TokensTest {

    private static final String READ = "{ stats { completedLastMinute } }";

    private static void assertUnauthenticated(String token) {
        GraphQLClient.Answer answer = GraphQLClient.as(token, READ, Map.of());
        assertEquals(401, answer.statusCode(), answer.body());
        assertEquals("UNAUTHENTICATED", answer.jsonPath().getString("errors[0].extensions.code"), answer.body());
    }

    @Test
    void aValidTokenActsWithItsRole() {
        String operator = TestTokens.token("operator", "offline_access");
        String queue = Jobs.uniqueQueue();
        GraphQLClient.okAs(operator, "mutation($q: String) { createJob(input: {kind: \"noop\", queue: $q}) { id } }",
                Map.of("q", queue));
        String viewer = TestTokens.token("viewer");
        GraphQLClient.okAs(viewer, READ, Map.of());
        GraphQLClient.Answer refused = GraphQLClient.as(viewer, "mutation { pauseQueue(name: \"" + queue + "\") { name } }", Map.of());
        assertEquals("FORBIDDEN", refused.jsonPath().getString("errors[0].extensions.code"), refused.body());
        assertTrue(refused.jsonPath().getString("errors[0].message").contains("queues.write"), refused.body());
    }

    @Test
    void tokensThatFailAnyCheckAreUnauthenticated() {
        assertUnauthenticated(TestTokens.forgedToken("admin"));
        assertUnauthenticated(TestTokens.expiringToken(Duration.ofMinutes(-5), "admin"));
        var wrongIssuer = TestTokens.claims("u1", List.of("admin"), null, Duration.ofHours(1));
        wrongIssuer.setIssuer("https://elsewhere.example");
        assertUnauthenticated(TestTokens.sign(wrongIssuer));
        var wrongAudience = TestTokens.claims("u2", List.of("admin"), null, Duration.ofHours(1));
        wrongAudience.setAudience("another-service");
        assertUnauthenticated(TestTokens.sign(wrongAudience));
        // Valid, but names none of viewer, operator, admin.
        assertUnauthenticated(TestTokens.token("offline_access"));
        assertUnauthenticated("not.a.token");
    }

    @Test
    void theQueuesClaimLimitsATokenCaller() {
        String prefix = "tok-" + System.nanoTime() + "-";
        String limited = TestTokens.tokenForQueues(List.of(prefix + "*"), "operator");
        GraphQLClient.okAs(limited, "mutation($q: String) { createJob(input: {kind: \"noop\", queue: $q, delaySeconds: 3600}) { id } }",
                Map.of("q", prefix + "x"));
        GraphQLClient.Answer other = GraphQLClient.as(limited, "mutation { createJob(input: {kind: \"noop\", queue: \"elsewhere\"}) { id } }",
                Map.of());
        assertEquals("FORBIDDEN", other.jsonPath().getString("errors[0].extensions.code"), other.body());
    }
}
