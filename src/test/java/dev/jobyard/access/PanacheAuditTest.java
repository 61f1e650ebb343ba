package dev.jobyard.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Await;
import dev.jobyard.testing.GraphQLClient;
import dev.jobyard.testing.Jdbc;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Chain and flow definitions are written through the Hibernate Reactive Panache session, not database.Sql: their audit
 * record is inserted on the session's connection just before COMMIT (database.SessionTransactions), so a change and its
 * record commit together or not at all.
 */
@QuarkusTest
@TestProfile(AuthOn.class)
class PanacheAuditTest {

    private static final String CREATE_CHAIN = "mutation($in: ChainInput!) { createChain(input: $in) { id } }";

    private static List<Map<String, Object>> records(String field, String key, String value) {
        return Jdbc.rows("SELECT outcome, xmin::text AS tx FROM jobyard.audit_log WHERE field = ? AND arguments->'input'->>'"
                + key + "' = ? ORDER BY id", field, value);
    }

    @Test
    void aChainAndItsRecordCommitInOneTransaction() {
        String name = "audit-ok-" + UUID.randomUUID();
        GraphQLClient.okAs(AuthOn.BOOTSTRAP, CREATE_CHAIN, Map.of("in", Map.of("name", name, "live", false,
                "tasks", List.of(Map.of("kind", "noop")))));
        // At once, not eventually: the record committed before the answer was sent, in the chain's own transaction.
        List<Map<String, Object>> records = records("createChain", "name", name);
        assertEquals(1, records.size(), records.toString());
        assertEquals("OK", records.get(0).get("outcome"));
        assertEquals(Jdbc.<String>value("SELECT xmin::text FROM jobyard.chain WHERE name = ?", name), records.get(0).get("tx"),
                "the record and the chain were written by different transactions");
        String id = Jdbc.<Object>value("SELECT id FROM jobyard.chain WHERE name = ?", name).toString();
        GraphQLClient.okAs(AuthOn.BOOTSTRAP, "mutation($id: ID!) { deleteChain(id: $id) { id } }", Map.of("id", id));
    }

    @Test
    void aFlowAndItsRecordCommitInOneTransaction() {
        String slug = "audit_ok_" + UUID.randomUUID().toString().substring(0, 8);
        GraphQLClient.okAs(AuthOn.BOOTSTRAP, "mutation($in: FlowInput!) { createFlow(input: $in) { id } }", Map.of("in", Map.of(
                "slug", slug, "queue", "audit-" + slug, "steps", List.of(Map.of("slug", "a", "type", "SINGLE", "kind", "noop",
                        "dependsOn", List.of())))));
        List<Map<String, Object>> records = records("createFlow", "slug", slug);
        assertEquals(1, records.size(), records.toString());
        assertEquals(Jdbc.<String>value("SELECT xmin::text FROM jobyard.flow WHERE slug = ?", slug), records.get(0).get("tx"));
    }

    /**
     * A deferred constraint trigger fails the chain's transaction at COMMIT, after everything in it ran, the audit insert
     * included: neither the chain nor an OK record remains; the failure is recorded on its own afterwards.
     */
    @Test
    void aChainWhoseTransactionFailsAtCommitLeavesNoOkRecord() throws Exception {
        String name = "audit-fails-" + UUID.randomUUID();
        Jdbc.update("CREATE OR REPLACE FUNCTION jobyard.test_fail_chain_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$"
                + " BEGIN IF NEW.name LIKE 'audit-fails-%' THEN RAISE EXCEPTION 'failing at commit on purpose'; END IF;"
                + " RETURN NEW; END $$");
        Jdbc.update("DROP TRIGGER IF EXISTS test_fail_chain_at_commit ON jobyard.chain");
        Jdbc.update("CREATE CONSTRAINT TRIGGER test_fail_chain_at_commit AFTER INSERT ON jobyard.chain DEFERRABLE INITIALLY"
                + " DEFERRED FOR EACH ROW EXECUTE FUNCTION jobyard.test_fail_chain_at_commit()");
        try {
            GraphQLClient.Answer failed = GraphQLClient.as(AuthOn.BOOTSTRAP, CREATE_CHAIN, Map.of("in", Map.of("name", name,
                    "live", false, "tasks", List.of(Map.of("kind", "noop")))));
            assertNotNull(failed.jsonPath().getString("errors[0].message"), failed.body());
        } finally {
            Jdbc.update("DROP TRIGGER IF EXISTS test_fail_chain_at_commit ON jobyard.chain");
            Jdbc.update("DROP FUNCTION IF EXISTS jobyard.test_fail_chain_at_commit()");
        }
        assertEquals(0L, Jdbc.<Number>value("SELECT count(*) FROM jobyard.chain WHERE name = ?", name).longValue());
        List<Map<String, Object>> records = Await.until(Duration.ofSeconds(10), () -> records("createChain", "name", name),
                r -> !r.isEmpty(), "the record of the failed createChain");
        assertEquals(1, records.size(), records.toString());
        assertTrue(!"OK".equals(records.get(0).get("outcome")), records.toString());
    }
}
