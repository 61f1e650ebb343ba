package dev.jobyard.durable;

import static dev.jobyard.testing.Jobs.awaitStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.jobyard.durable.wake.DbChangeTriggers;
import dev.jobyard.testing.Durable;
import dev.jobyard.testing.GraphQLClient;
import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;

/**
 * waitForDbChange on a table the test profile allows ({@code public.durable_test_users}): the operation waited for
 * wakes the task with the chosen columns only; another operation does not; a table not allowed is refused.
 */
@QuarkusTest
class DbChangeWaitTest {

    @Inject
    DbChangeTriggers triggers;

    @BeforeEach
    void allowedTableWithItsTrigger() {
        Jdbc.update("CREATE TABLE IF NOT EXISTS public.durable_test_users (id bigserial PRIMARY KEY, email text, name text,"
                + " tag text)");
        triggers.install();
    }

    @Test
    void anInsertWakesTheWaiterWithTheChosenColumnsAndAnUpdateDoesNot() {
        String tag = Jobs.uniqueQueue();
        Jdbc.update("INSERT INTO public.durable_test_users (email, name, tag) VALUES ('old@example.org', 'Old', ?)", tag);
        String id = Durable.script(tag, List.of(Map.of("op", "waitForDbChange", "key", "u", "schema", "public",
                "table", "durable_test_users", "operation", "insert", "columns", List.of("email"), "timeoutMs", 60_000)));
        awaitStatus(id, "WAITING");

        Jdbc.update("UPDATE public.durable_test_users SET name = 'Older' WHERE tag = ?", tag);
        assertEquals("WAITING", Jobs.status(id), "an UPDATE is not the INSERT waited for");
        Jdbc.update("INSERT INTO public.durable_test_users (email, name, tag) VALUES ('new@example.org', 'New', ?)", tag);

        var job = awaitStatus(id, "COMPLETED");
        assertEquals("insert", job.getString("result.u.operation"));
        assertEquals("durable_test_users", job.getString("result.u.table"));
        assertEquals(Map.of("email", "new@example.org"), job.getMap("result.u.new"), "only the chosen column");
        assertNull(job.get("result.u.old"), "an insert has no old row");
        assertFalse(Durable.waiting(id));
    }

    @Test
    void waitingOnATableNotAllowedIsRefusedAtCreation() {
        var answer = GraphQLClient.execute("mutation($in: JobInput!) { createJob(input: $in) { id } }", Map.of("in", Map.of(
                "kind", "durable_script", "queue", Jobs.uniqueQueue(), "payload", Map.of("ops", List.of(Map.of(
                        "op", "waitForDbChange", "key", "u", "schema", "public", "table", "secrets",
                        "operation", "insert"))))));

        assertEquals("BAD_USER_INPUT", answer.getString("errors[0].extensions.code"));
        assertEquals("input.payload.ops[0].table: 'public.secrets' is not among the tables allowed by"
                + " jobyard.durable.db-events.tables: [public.durable_test_users, public.durable_test_orders]",
                answer.getString("errors[0].message"));
    }
}
