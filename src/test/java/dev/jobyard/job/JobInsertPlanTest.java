package dev.jobyard.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.jobyard.database.Sql;
import dev.jobyard.database.Statements;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The job insert is planned once per connection and reused, wherever it runs: left to choose, PostgreSQL planned it
 * anew for every call (a custom plan counts the unnest arrays' elements, so for a few jobs it always looked cheaper
 * than the generic plan), which took 0.9 ms of the 1.3 ms statement on W2's path through NOTIFY.
 */
@QuarkusTest
class JobInsertPlanTest {

    private static final String PLANS = """
            SELECT coalesce(sum(generic_plans), 0) AS generic, coalesce(sum(custom_plans), 0) AS custom
              FROM pg_prepared_statements
             WHERE strpos(statement, 'INSERT INTO jobyard.job (id, queue, kind') > 0 AND strpos(statement, 'pg_prepared_statements') = 0""";

    @Inject
    Sql sql;

    @Inject
    JobStore store;

    @Test
    void insertsInATransactionThatPlansForArgumentsUseTheGenericPlanAndLeaveTheTransactionsModeAsItWas() {
        // Given a transaction whose other statements are planned for their arguments (as a flow's advance is)
        Row[] before = new Row[1];
        Row[] after = new Row[1];
        String[] modeAfter = new String[1];
        int[] inserted = new int[1];
        try {
            sql.inTransaction(tx -> {
            tx.planForArguments();
            before[0] = tx.query(PLANS, Tuple.tuple()).iterator().next();

            // When it inserts one job six times, once more than PostgreSQL's five custom plans before it compares
            for (int i = 0; i < 6; i++) {
                inserted[0] += store.insert(tx, null, List.of(job(i)), List.of(List.of())).size();
            }
            after[0] = tx.query(PLANS, Tuple.tuple()).iterator().next();
            modeAfter[0] = tx.query("SELECT current_setting('plan_cache_mode') AS m", Tuple.tuple()).iterator().next().getString("m");
            throw new RolledBack();
            });
        } catch (RolledBack expected) {
            // the jobs were never committed, so no worker and no other test sees them
        }

        // Then every insert ran the connection's generic plan, none was planned for its arguments
        assertEquals(6, inserted[0]);
        assertEquals(6, after[0].getLong("generic") - before[0].getLong("generic"), "generic plans used by the six inserts");
        assertEquals(before[0].getLong("custom"), after[0].getLong("custom"), "custom plans made for the six inserts");
        // And the transaction's later statements are planned as it asked
        assertEquals("force_custom_plan", modeAfter[0]);
    }

    @Test
    void aStatementRunOnItsOwnOrAsAChangeIsPlannedGenericallyInItsOwnTransactionOnly() {
        String probe = "SELECT current_setting('plan_cache_mode') AS m, now() = statement_timestamp() AS autocommit";
        for (Statements where : List.of(sql, sql.changes())) {
            // When a statement runs planned once, on its own or as a mutation's change
            Row row = where.queryPlannedOnce(probe, Tuple.tuple()).iterator().next();

            // Then it ran under the generic plan, in a transaction its BEGIN opened before it
            assertEquals("force_generic_plan", row.getString("m"));
            assertEquals(false, row.getBoolean("autocommit"), "the setting needs a transaction of the statement's own");
        }
        // And the pool's statements after it are planned as before (the setting ended with its transaction)
        for (int i = 0; i < 40; i++) {
            assertEquals("auto", sql.query("SELECT current_setting('plan_cache_mode') AS m", Tuple.tuple()).iterator().next()
                    .getString("m"));
        }
    }

    private static NewJob job(int i) {
        return new NewJob("insert-plan", "noop", null, null, new JsonObject().put("i", i), new JsonObject(), 0, null, 3600,
                1, null, null, List.of(), null, null, false);
    }

    /** Thrown to roll the test's jobs back once the plans are read. */
    private static final class RolledBack extends RuntimeException {
        RolledBack() {
            super(null, null, false, false);
        }
    }
}
