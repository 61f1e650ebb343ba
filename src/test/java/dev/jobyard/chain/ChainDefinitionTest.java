package dev.jobyard.chain;

import static dev.jobyard.testing.GraphQLClient.execute;
import static dev.jobyard.testing.GraphQLClient.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobyard.command.CommandsEnabled;
import dev.jobyard.testing.Chains;
import dev.jobyard.testing.Jdbc;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/** Creating, reading, changing and deleting chain definitions over GraphQL; refused input stores nothing. */
@QuarkusTest
@TestProfile(CommandsEnabled.class)
class ChainDefinitionTest {

    @Test
    void aChainIsStoredWithItsTasksInOrderAndItsParameterSets() {
        JsonPath c = Chains.create(Map.of("description", "nightly", "schedule", "0 2 * * *", "timezone", "Europe/Berlin",
                "maxInstances", 1, "timeoutSeconds", 60, "onError", "SELECT 1", "tasks", List.of(
                        Map.of("name", "extract", "command", "SELECT $1::text", "parameters", List.of(List.of("north"), List.of("south"))),
                        Map.of("name", "log", "kind", "log", "payload", Map.of("message", "done")),
                        Map.of("name", "vacuum", "command", "VACUUM", "autonomous", true, "ignoreError", true))));

        assertTrue(c.getBoolean("live"));
        assertEquals("ACTIVE", c.getString("status"));
        assertEquals("0 2 * * *", c.getString("schedule"));
        assertEquals(2, OffsetDateTime.parse(c.getString("nextRunAt")).atZoneSameInstant(java.time.ZoneId.of("Europe/Berlin")).getHour());
        assertEquals(1, c.getInt("maxAttempts"));
        assertEquals(List.of("extract", "log", "vacuum"), c.getList("tasks.name"));
        assertEquals(List.of(10f, 20f, 30f), c.getList("tasks.order"));
        assertEquals(List.of("sql", "log", "sql"), c.getList("tasks.kind"));
        assertEquals(List.of(List.of("north"), List.of("south")), c.getList("tasks[0].parameters"));
        assertEquals("done", c.getString("tasks[1].payload.message"));
        assertTrue(c.getBoolean("tasks[2].autonomous"));

        JsonPath byName = ok("query($n: String) { chain(name: $n) { id tasks { id } } }", Map.of("n", c.getString("name")))
                .setRootPath("data.chain");
        assertEquals(c.getString("id"), byName.getString("id"));
        assertEquals("chain", Jdbc.value("SELECT job_kind FROM jobyard.schedule WHERE id = ?", Long.parseLong(c.getString("id"))),
                "the chain's timing is a schedule row of its own, with the same id, firing 'chain' jobs");
    }

    @Test
    void aManualChainCreatedNotLiveHasNoNextRun() {
        JsonPath c = Chains.create(Map.of("live", false, "tasks", List.of(Chains.sql("SELECT 1"))));

        assertEquals("manual", c.getString("schedule"));
        assertFalse(c.getBoolean("live"));
        assertEquals("PAUSED", c.getString("status"));
        assertNull(c.getString("nextRunAt"));
    }

    @Test
    void aDuplicateNameIsAConflictAndStoresNothingMore() {
        JsonPath c = Chains.create(Map.of("tasks", List.of(Chains.sql("SELECT 1"))));
        long before = Jdbc.<Long>value("SELECT count(*) FROM jobyard.chain_task");

        JsonPath again = Chains.tryCreate(Map.of("name", c.getString("name"), "tasks", List.of(Chains.sql("SELECT 2"))));

        assertEquals("CONFLICT", Chains.errorCode(again));
        assertEquals(before, Jdbc.<Long>value("SELECT count(*) FROM jobyard.chain_task"));
    }

    @Test
    void badInputNamesTheFieldAndStoresNothing() {
        String name = Chains.uniqueName();
        assertRefused(Map.of("name", name, "schedule", "61 * * * *"), "input.schedule");
        assertRefused(Map.of("name", name, "tasks", List.of(Chains.sql("SELECT 1"), Map.of("kind", "no_such_kind"))),
                "input.tasks[1].kind");
        assertRefused(Map.of("name", name, "tasks", List.of(Map.of("kind", "sql"))), "input.tasks[0].payload.sql");
        assertRefused(Map.of("name", name, "tasks", List.of(Chains.sql("SELECT 1"), Chains.sql("SELECT 1"),
                Map.of("command", "SELECT $1", "parameters", List.of(List.of(1), Map.of("a", 1))))), "input.tasks[2].parameters[1]");
        assertRefused(Map.of("name", name, "tasks", List.of(Map.of("kind", "sleep", "command", "10"))), "input.tasks[0].command");
        assertRefused(Map.of("name", name, "tasks", List.of(Map.of("kind", "sleep", "parameters", List.of(Map.of("ms", -1))))),
                "input.tasks[0].payload.ms");
        assertRefused(Map.of("name", name, "tasks", List.of(Map.of("kind", "chain", "payload", Map.of("chainId", 1)))),
                "input.tasks[0].kind");
        assertRefused(Map.of("name", name, "maxInstances", -1), "input.maxInstances");

        assertEquals(0L, Jdbc.<Long>value("SELECT count(*) FROM jobyard.chain WHERE name = ?", name));
        assertEquals(0L, Jdbc.<Long>value("SELECT count(*) FROM jobyard.schedule WHERE name = ?", "chain:" + name));
    }

    private static void assertRefused(Map<String, Object> input, String field) {
        JsonPath answer = Chains.tryCreate(input);
        assertEquals("BAD_USER_INPUT", Chains.errorCode(answer), () -> String.valueOf(answer.get("errors")));
        assertTrue(Chains.errorMessage(answer).contains(field), () -> "error names " + field + ": " + Chains.errorMessage(answer));
    }

    @Test
    void updateChangesTheGivenFieldsAndReplacesTheTasksWhenGiven() {
        JsonPath c = Chains.create(Map.of("schedule", "@hourly", "tasks", List.of(Chains.sql("SELECT 1"), Chains.sql("SELECT 2"))));
        String id = c.getString("id");

        JsonPath kept = ok("mutation($id: ID!) { updateChain(id: $id, input: {description: \"d\", exclusive: true}) { description exclusive schedule tasks { id } } }",
                Map.of("id", id)).setRootPath("data.updateChain");
        assertEquals("d", kept.getString("description"));
        assertTrue(kept.getBoolean("exclusive"));
        assertEquals("@hourly", kept.getString("schedule"));
        assertEquals(c.getList("tasks.id"), kept.getList("tasks.id"), "no tasks given: tasks kept");

        JsonPath replaced = ok("mutation($id: ID!) { updateChain(id: $id, input: {schedule: \"@daily\", tasks: [{command: \"SELECT 3\"}]}) { schedule tasks { command } } }",
                Map.of("id", id)).setRootPath("data.updateChain");
        assertEquals("@daily", replaced.getString("schedule"));
        assertEquals(List.of("SELECT 3"), replaced.getList("tasks.command"));
        assertEquals(0L, Jdbc.<Long>value("SELECT count(*) FROM jobyard.chain_task WHERE id = ?", Long.parseLong(c.getString("tasks[0].id"))));
    }

    @Test
    void tasksAreAddedMovedChangedAndDeletedOneByOne() {
        JsonPath c = Chains.create(Map.of("tasks", List.of(Map.of("name", "a", "command", "SELECT 1"),
                Map.of("name", "c", "command", "SELECT 3"))));
        String id = c.getString("id");
        String a = c.getString("tasks[0].id");

        JsonPath added = ok("mutation($c: ID!, $after: ID) { addChainTask(chainId: $c, afterTaskId: $after, input: {name: \"b\", command: \"SELECT 2\"}) { tasks { id name order } } }",
                Map.of("c", id, "after", a)).setRootPath("data.addChainTask");
        assertEquals(List.of("a", "b", "c"), added.getList("tasks.name"));
        assertEquals(15f, (Float) added.getList("tasks.order").get(1));
        String b = added.getString("tasks[1].id");

        JsonPath moved = ok("mutation($t: ID!) { moveChainTask(id: $t, direction: UP) { tasks { name } } }", Map.of("t", b))
                .setRootPath("data.moveChainTask");
        assertEquals(List.of("b", "a", "c"), moved.getList("tasks.name"));

        JsonPath changed = ok("mutation($t: ID!) { updateChainTask(id: $t, input: {ignoreError: true, command: \"SELECT $1\"}) { tasks { name ignoreError } } }",
                Map.of("t", b)).setRootPath("data.updateChainTask");
        assertEquals(List.of(true, false, false), changed.getList("tasks.ignoreError"));

        JsonPath params = ok("mutation($t: ID!, $p: [JSON!]!) { setChainTaskParameters(taskId: $t, parameters: $p) { tasks { parameters } } }",
                Map.of("t", b, "p", List.of(List.of(1), List.of(2)))).setRootPath("data.setChainTaskParameters");
        assertEquals(List.of(List.of(1), List.of(2)), params.getList("tasks[0].parameters"));

        JsonPath badParams = execute("mutation($t: ID!, $p: [JSON!]!) { setChainTaskParameters(taskId: $t, parameters: $p) { id } }",
                Map.of("t", b, "p", List.of("not an array")));
        assertEquals("BAD_USER_INPUT", Chains.errorCode(badParams));
        assertTrue(Chains.errorMessage(badParams).contains("parameters[0]"), Chains.errorMessage(badParams));

        JsonPath deleted = ok("mutation($t: ID!) { deleteChainTask(id: $t) { tasks { name } } }", Map.of("t", a))
                .setRootPath("data.deleteChainTask");
        assertEquals(List.of("b", "c"), deleted.getList("tasks.name"));

        assertEquals("NOT_FOUND", Chains.errorCode(execute("mutation { deleteChainTask(id: \"999999999\") { id } }")));
    }

    @Test
    void pauseResumeAndDelete() {
        JsonPath c = Chains.create(Map.of("schedule", "@hourly", "tasks", List.of(Chains.sql("SELECT 1"))));
        String id = c.getString("id");

        JsonPath paused = ok("mutation($id: ID!) { pauseChain(id: $id) { live status nextRunAt } }", Map.of("id", id))
                .setRootPath("data.pauseChain");
        assertFalse(paused.getBoolean("live"));
        assertNull(paused.getString("nextRunAt"));
        JsonPath resumed = ok("mutation($id: ID!) { resumeChain(id: $id) { live nextRunAt } }", Map.of("id", id))
                .setRootPath("data.resumeChain");
        assertTrue(resumed.getBoolean("live"));
        assertNotNull(resumed.getString("nextRunAt"));

        ok("mutation($id: ID!) { deleteChain(id: $id) { id } }", Map.of("id", id));
        assertEquals("NOT_FOUND", Chains.errorCode(execute("query($id: ID) { chain(id: $id) { id } }", Map.of("id", id))));
        assertEquals(0L, Jdbc.<Long>value("SELECT count(*) FROM jobyard.schedule WHERE id = ?", Long.parseLong(id)));
        assertEquals(0L, Jdbc.<Long>value("SELECT count(*) FROM jobyard.chain_task WHERE chain_id = ?", Long.parseLong(id)));
        assertEquals("NOT_FOUND", Chains.errorCode(execute("mutation($id: ID!) { pauseChain(id: $id) { id } }", Map.of("id", id))));
    }

    @Test
    void chainsArePagedAndFilteredByStatus() {
        String paused = Chains.create(Map.of("live", false)).getString("id");
        List<String> pausedIds = ok("{ chains(status: PAUSED, first: 500) { nodes { id live } } }").getList("chains.nodes.id");
        assertTrue(pausedIds.contains(paused));
        List<String> active = ok("{ chains(status: ACTIVE, first: 500) { nodes { id } } }").getList("chains.nodes.id");
        assertFalse(active.contains(paused));
    }
}
