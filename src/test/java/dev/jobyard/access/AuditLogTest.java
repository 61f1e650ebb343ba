package dev.jobyard.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Await;
import dev.jobyard.testing.GraphQLClient;
import dev.jobyard.testing.Jobs;
import dev.jobyard.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * Every mutation leaves a record (who, the field, its arguments with secrets masked, when, from where, the
 * outcome), refused ones too; admins read them with auditLog, nobody else does.
 */
@QuarkusTest
@TestProfile(AuthOn.class)
class AuditLogTest {

    private static final String LOG = "query($s: String, $since: DateTime) { auditLog(first: 50, subject: $s, since: $since) "
            + "{ nodes { subject role field arguments address outcome at } hasNextPage } }";

    private static List<Map<String, Object>> recordsOf(String subject) {
        return GraphQLClient.okAs(AuthOn.BOOTSTRAP, LOG, Map.of("s", subject)).getList("auditLog.nodes");
    }

    @Test
    void aMutationIsRecordedWithItsCallerArgumentsAndOutcome() {
        JsonPath key = Keys.created("OPERATOR", null);
        String subject = "key:" + key.getString("createApiKey.apiKey.name");
        String queue = Jobs.uniqueQueue();
        GraphQLClient.okAs(key.getString("createApiKey.key"), "mutation($q: String) { createJob(input: {kind: \"noop\", queue: $q, "
                + "delaySeconds: 3600}) { id } }", Map.of("q", queue));
        List<Map<String, Object>> records = Await.until(Duration.ofSeconds(10), () -> recordsOf(subject), r -> !r.isEmpty(),
                "the record of createJob");
        Map<String, Object> record = records.get(0);
        assertEquals("createJob", record.get("field"));
        assertEquals("operator", record.get("role"));
        assertEquals("OK", record.get("outcome"));
        assertEquals("127.0.0.1", record.get("address"));
        assertEquals(queue, ((Map<?, ?>) ((Map<?, ?>) record.get("arguments")).get("input")).get("queue"));
        // Written in the transaction of the change: the job and its record commit together.
        assertEquals(1L, ((Number) dev.jobyard.testing.Jdbc.<Object>value("SELECT count(*) FROM jobyard.audit_log WHERE subject = ? "
                + "AND field = 'createJob' AND arguments->'input'->>'queue' = ?", subject, queue)).longValue());
    }

    @Test
    void aRefusedMutationIsRecordedWithItsCode() {
        String token = TestTokens.token("viewer");
        GraphQLClient.Answer refused = GraphQLClient.as(token, "mutation { cleanupHistory(olderThanDays: 100000) }", Map.of());
        assertEquals("FORBIDDEN", refused.jsonPath().getString("errors[0].extensions.code"), refused.body());
        String since = OffsetDateTime.now().minusMinutes(5).toString();
        List<Map<String, Object>> records = Await.until(Duration.ofSeconds(10), () -> GraphQLClient.okAs(AuthOn.BOOTSTRAP, LOG,
                Map.of("since", since)).<Map<String, Object>>getList("auditLog.nodes").stream()
                .filter(r -> "cleanupHistory".equals(r.get("field")) && "FORBIDDEN".equals(r.get("outcome"))
                        && "viewer".equals(r.get("role")))
                .toList(), r -> !r.isEmpty(), "the record of the refused cleanupHistory");
        assertTrue(records.get(0).get("subject").toString().startsWith("user-"), records.toString());
    }

    @Test
    void secretsInArgumentsAreMaskedAndOnlyAdminsReadTheLog() {
        String admin = Keys.create("ADMIN");
        GraphQLClient.as(admin, "mutation { createJob(input: {kind: \"noop\", queue: \"" + Jobs.uniqueQueue()
                + "\", delaySeconds: 3600, payload: {password: \"hunter2\"}}) { id } }", Map.of());
        String text = dev.jobyard.testing.Jdbc.<Object>value("SELECT string_agg(arguments::text, ' ') FROM jobyard.audit_log "
                + "WHERE field = 'createJob'").toString();
        assertFalse(text.contains("hunter2"), "a password in the audit log");
        String viewer = Keys.create("VIEWER");
        GraphQLClient.Answer answer = GraphQLClient.as(viewer, "{ auditLog { nodes { subject } } }", Map.of());
        assertEquals("FORBIDDEN", answer.jsonPath().getString("errors[0].extensions.code"), answer.body());
        assertTrue(answer.jsonPath().getString("errors[0].message").contains("audit.read"), answer.body());
    }
}
