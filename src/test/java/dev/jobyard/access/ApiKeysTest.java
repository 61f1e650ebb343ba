package dev.jobyard.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Await;
import dev.jobyard.testing.GraphQLClient;
import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/** API keys: made once by an admin, sent as Bearer or X-Api-Key, stored as a hash, revoked at once. */
@QuarkusTest
@TestProfile(AuthOn.class)
class ApiKeysTest {

    private static final String CREATE = "mutation($q: String) { createJob(input: {kind: \"noop\", queue: $q}) { id queue } }";

    @Test
    void theBootstrapKeyMakesTheFirstKeyWhichIsShownOnceAndStoredAsAHash() {
        JsonPath created = Keys.created("OPERATOR", null);
        String key = created.getString("createApiKey.key");
        assertTrue(key.startsWith("jy_") && key.length() > 40, key);
        assertEquals("OPERATOR", created.getString("createApiKey.apiKey.role"));

        String queue = Jobs.uniqueQueue();
        assertEquals(queue, GraphQLClient.okAs(key, CREATE, Map.of("q", queue)).getString("createJob.queue"));
        // The same key in X-Api-Key.
        GraphQLClient.Answer viaHeader = GraphQLClient.as(Map.of("X-Api-Key", key), CREATE, Map.of("q", queue));
        assertNull(viaHeader.jsonPath().get("errors"), viaHeader.body());

        // Listed without its text; the table holds no trace of it.
        String id = created.getString("createApiKey.apiKey.id");
        String listed = GraphQLClient.okAs(AuthOn.BOOTSTRAP, "{ apiKeys(first: 500) { id name role } }", Map.of()).prettify();
        assertTrue(listed.contains(id), listed);
        assertFalse(listed.contains(key));
        String row = String.valueOf(Jdbc.<Object>value("SELECT row_to_json(k)::text FROM jobyard.api_key k WHERE id = " + id));
        assertFalse(row.contains(key.substring(3)), row);
    }

    @Test
    void aRevokedKeyIsRefusedAtOnce() {
        JsonPath created = Keys.created("VIEWER", null);
        String key = created.getString("createApiKey.key");
        GraphQLClient.okAs(key, "{ stats { completedLastMinute } }", Map.of());
        JsonPath revoked = GraphQLClient.okAs(AuthOn.BOOTSTRAP, "mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }",
                Map.of("id", created.getString("createApiKey.apiKey.id")));
        assertNotNull(revoked.getString("revokeApiKey.revokedAt"));
        GraphQLClient.Answer refused = GraphQLClient.as(key, "{ stats { completedLastMinute } }", Map.of());
        assertEquals(401, refused.statusCode(), refused.body());
        assertEquals("UNAUTHENTICATED", refused.jsonPath().getString("errors[0].extensions.code"));
    }

    @Test
    void anUnknownOrExpiredKeyIsUnauthenticated() {
        GraphQLClient.Answer unknown = GraphQLClient.as("jy_" + UUID.randomUUID(), "{ stats { completedLastMinute } }", Map.of());
        assertEquals(401, unknown.statusCode());
        assertEquals("UNAUTHENTICATED", unknown.jsonPath().getString("errors[0].extensions.code"));

        Map<String, Object> input = Map.of("name", "short-" + UUID.randomUUID(), "role", "VIEWER",
                "expiresAt", OffsetDateTime.now().plusSeconds(2).toString());
        String key = GraphQLClient.okAs(AuthOn.BOOTSTRAP, "mutation($in: ApiKeyInput!) { createApiKey(input: $in) { key } }",
                Map.of("in", input)).getString("createApiKey.key");
        GraphQLClient.okAs(key, "{ stats { completedLastMinute } }", Map.of());
        Await.until(Duration.ofSeconds(20), () -> GraphQLClient.as(key, "{ stats { completedLastMinute } }", Map.of()).statusCode(),
                status -> status == 401, "the key refused once it expired");
    }

    @Test
    void withoutCredentialsEveryFieldIsUnauthenticatedNamingItsPermission() {
        String queue = Jobs.uniqueQueue();
        JsonPath read = GraphQLClient.execute("{ jobs { nodes { id } } }");
        assertEquals("UNAUTHENTICATED", read.getString("errors[0].extensions.code"), read.prettify());
        assertTrue(read.getString("errors[0].message").contains("read"), read.prettify());
        JsonPath write = GraphQLClient.execute(CREATE, Map.of("q", queue));
        assertEquals("UNAUTHENTICATED", write.getString("errors[0].extensions.code"), write.prettify());
        assertTrue(write.getString("errors[0].message").contains("jobs.write"), write.prettify());
        assertEquals(0, ((Number) Jdbc.<Object>value("SELECT count(*) FROM jobyard.job WHERE queue = '" + queue + "'")).longValue());
    }

    @Test
    void aViewerReadsButMayNotWriteAndTheErrorNamesThePermission() {
        String viewer = Keys.create("VIEWER");
        GraphQLClient.okAs(viewer, "{ jobs { nodes { id } } queues { name } workers { nodeId } }", Map.of());
        String queue = Jobs.uniqueQueue();
        GraphQLClient.Answer refused = GraphQLClient.as(viewer, CREATE, Map.of("q", queue));
        assertEquals("FORBIDDEN", refused.jsonPath().getString("errors[0].extensions.code"), refused.body());
        assertTrue(refused.jsonPath().getString("errors[0].message").contains("jobs.write"), refused.body());
        assertEquals(0, ((Number) Jdbc.<Object>value("SELECT count(*) FROM jobyard.job WHERE queue = '" + queue + "'")).longValue());
        // Keys are the admin's.
        GraphQLClient.Answer keys = GraphQLClient.as(viewer, "{ apiKeys { id } }", Map.of());
        assertEquals("FORBIDDEN", keys.jsonPath().getString("errors[0].extensions.code"), keys.body());
        assertTrue(keys.jsonPath().getString("errors[0].message").contains("apikeys.manage"), keys.body());
    }

    @Test
    void anOperatorMayNotCreateAdminOnlyKindsNorDeleteDefinitions() {
        String operator = Keys.create("OPERATOR");
        GraphQLClient.Answer sql = GraphQLClient.as(operator, "mutation { createJob(input: {kind: \"sql\", "
                + "payload: {sql: \"select 1\"}, queue: \"" + Jobs.uniqueQueue() + "\"}) { id } }", Map.of());
        assertEquals("FORBIDDEN", sql.jsonPath().getString("errors[0].extensions.code"), sql.body());
        assertTrue(sql.jsonPath().getString("errors[0].message").contains("kinds.admin"), sql.body());
        // Nor through a payload that makes jobs of its own: a durable_script invoking an sql child,
        String invoking = Jobs.uniqueQueue();
        GraphQLClient.Answer child = GraphQLClient.as(operator, "mutation($in: JobInput!) { createJob(input: $in) { id } }",
                Map.of("in", Map.of("kind", "durable_script", "queue", invoking, "payload", Map.of("ops", java.util.List.of(
                        Map.of("op", "invoke", "key", "c", "kind", "sql", "payload", Map.of("sql", "select 1")))))));
        assertEquals("FORBIDDEN", child.jsonPath().getString("errors[0].extensions.code"), child.body());
        assertEquals(0, ((Number) Jdbc.<Object>value("SELECT count(*) FROM jobyard.job WHERE queue = '" + invoking + "'")).longValue());
        // nor a pg_timetable import, whose tasks are SQL unless they say otherwise.
        GraphQLClient.Answer imported = GraphQLClient.as(operator, "mutation { importChains(yaml: \"chains: []\") { chains { id } } }", Map.of());
        assertEquals("FORBIDDEN", imported.jsonPath().getString("errors[0].extensions.code"), imported.body());
        GraphQLClient.Answer delete = GraphQLClient.as(operator, "mutation { deleteSchedule(id: \"1\") { id } }", Map.of());
        assertEquals("FORBIDDEN", delete.jsonPath().getString("errors[0].extensions.code"), delete.body());
        GraphQLClient.Answer cleanup = GraphQLClient.as(operator, "mutation { cleanupHistory(olderThanDays: 100000) }", Map.of());
        assertEquals("FORBIDDEN", cleanup.jsonPath().getString("errors[0].extensions.code"), cleanup.body());
        // An admin may.
        String admin = Keys.create("ADMIN");
        GraphQLClient.okAs(admin, "mutation { cleanupHistory(olderThanDays: 100000) }", Map.of());
    }

    @Test
    void badInputToCreateApiKeyNamesTheField() {
        GraphQLClient.Answer answer = GraphQLClient.as(AuthOn.BOOTSTRAP, "mutation($in: ApiKeyInput!) { createApiKey(input: $in) { key } }",
                Map.of("in", Map.of("name", "q-" + UUID.randomUUID(), "role", "VIEWER", "queues", List.of("a*b"))));
        assertEquals("BAD_USER_INPUT", answer.jsonPath().getString("errors[0].extensions.code"), answer.body());
        assertTrue(answer.jsonPath().getString("errors[0].message").startsWith("input.queues[0]"), answer.body());
    }
}
