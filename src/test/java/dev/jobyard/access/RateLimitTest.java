package dev.jobyard.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.GraphQLClient;
import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** An operator gets jobyard.auth.rate-limits.operator mutations a minute (40 in this profile), then a clear error. */
@QuarkusTest
@TestProfile(AuthOn.class)
class RateLimitTest {

    @Test
    void mutationsPastTheRoleLimitAreRefusedWithTooManyRequests() {
        String operator = Keys.create("OPERATOR");
        String queue = Jobs.uniqueQueue();
        int accepted = 0;
        GraphQLClient.Answer refused = null;
        // A minute's window may turn during the loop: at most two windows' worth are accepted before a refusal.
        for (int i = 0; i < 3 * AuthOn.OPERATOR_RATE && refused == null; i++) {
            GraphQLClient.Answer answer = GraphQLClient.as(operator, "mutation($q: String) { createJob(input: {kind: \"noop\", "
                    + "queue: $q, delaySeconds: 3600}) { id } }", Map.of("q", queue));
            if (answer.jsonPath().get("errors") == null) {
                accepted++;
            } else {
                refused = answer;
            }
        }
        assertTrue(refused != null, "no refusal after " + accepted + " mutations");
        assertTrue(accepted >= AuthOn.OPERATOR_RATE && accepted <= 2 * AuthOn.OPERATOR_RATE, "accepted " + accepted);
        assertEquals("TOO_MANY_REQUESTS", refused.jsonPath().getString("errors[0].extensions.code"), refused.body());
        assertTrue(refused.jsonPath().getString("errors[0].message").contains("jobyard.auth.rate-limits.operator"), refused.body());
        // Reads are not limited.
        GraphQLClient.okAs(operator, "{ stats { completedLastMinute } }", Map.of());
    }
}
