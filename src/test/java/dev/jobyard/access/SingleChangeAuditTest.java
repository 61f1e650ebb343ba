package dev.jobyard.access;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
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

/**
 * Mutations that change something with a single statement (a job without keys or dependencies, an API key) carry
 * their audit record in that statement's transaction, pipelined with it: the change and its OK record commit
 * together, and a mutation that ends refused (a taken key name, an unknown key) leaves only its refusal.
 */
@QuarkusTest
@TestProfile(AuthOn.class)
class SingleChangeAuditTest {

    private static List<Map<String, Object>> records(String field, String path, String value) {
        return Jdbc.rows("SELECT outcome, xmin::text AS tx FROM jobyard.audit_log WHERE field = ? AND arguments #>> ?::text[] = ?"
                + " ORDER BY id", field, path, value);
    }

    @Test
    void aJobMadeByOneStatementAndItsRecordCommitInOneTransaction() {
        // given a job that nothing will touch after its insert (due in a day)
        String queue = Jobs.uniqueQueue();

        // when it is created with a single insert
        String id = GraphQLClient.okAs(AuthOn.BOOTSTRAP, "mutation($in: JobInput!) { createJob(input: $in) { id } }",
                Map.of("in", Map.of("kind", "noop", "queue", queue, "runAt", java.time.OffsetDateTime.now().plusDays(1).toString())))
                .getString("createJob.id");

        // then its OK record is there at once, written by the transaction that wrote the job
        List<Map<String, Object>> records = records("createJob", "{input,queue}", queue);
        assertEquals(1, records.size(), records.toString());
        assertEquals("OK", records.get(0).get("outcome"));
        assertEquals(Jdbc.<String>value("SELECT xmin::text FROM jobyard.job WHERE id = ?", Long.parseLong(id)),
                records.get(0).get("tx"), "the record and the job were written by different transactions");
    }

    @Test
    void anApiKeyAndItsRecordCommitTogetherAndATakenNameLeavesOnlyItsConflict() {
        // given a key made once
        String name = "audit-key-" + UUID.randomUUID();
        String create = "mutation($in: ApiKeyInput!) { createApiKey(input: $in) { apiKey { id } } }";
        Map<String, Object> input = Map.of("in", Map.of("name", name, "role", "VIEWER"));
        String id = GraphQLClient.okAs(AuthOn.BOOTSTRAP, create, input).getString("createApiKey.apiKey.id");

        // when the same name is asked for again, and an unknown key is revoked
        String missing = String.valueOf(java.util.concurrent.ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50));
        var again = GraphQLClient.as(AuthOn.BOOTSTRAP, create, input);
        var unknown = GraphQLClient.as(AuthOn.BOOTSTRAP, "mutation($id: ID!) { revokeApiKey(id: $id) { id } }",
                Map.of("id", missing));

        // then the first has one OK record from the key's own transaction, and the refusals only theirs
        assertEquals("CONFLICT", again.jsonPath().getString("errors[0].extensions.code"));
        assertEquals("NOT_FOUND", unknown.jsonPath().getString("errors[0].extensions.code"));
        // (a refusal is recorded right after it is answered, so it may land a moment later)
        List<Map<String, Object>> records = Await.until(Duration.ofSeconds(10), () -> records("createApiKey", "{input,name}", name),
                rows -> rows.size() >= 2, "the key's records");
        assertEquals(List.of("OK", "CONFLICT"), records.stream().map(r -> r.get("outcome")).toList());
        assertEquals(Jdbc.<String>value("SELECT xmin::text FROM jobyard.api_key WHERE id = ?", Long.parseLong(id)),
                records.get(0).get("tx"));
        assertEquals(List.of("NOT_FOUND"), Await.until(Duration.ofSeconds(10), () -> Jdbc.rows("SELECT outcome FROM"
                + " jobyard.audit_log WHERE field = 'revokeApiKey' AND arguments->>'id' = ?", missing), rows -> !rows.isEmpty(),
                "the refused revoke's record").stream().map(r -> r.get("outcome")).toList());
    }
}
