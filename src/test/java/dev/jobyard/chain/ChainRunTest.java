package dev.jobyard.chain;

import static dev.jobyard.testing.GraphQLClient.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.jobyard.command.CommandsEnabled;
import dev.jobyard.testing.Await;
import dev.jobyard.testing.Chains;
import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * Running chains as pg_timetable does: one transaction with a savepoint per task, parameters, ignoreError,
 * onError, autonomous tasks, timeouts, stop, and the execution log. Each test writes to a table of its own.
 */
@QuarkusTest
@TestProfile(CommandsEnabled.class)
class ChainRunTest {

    /** A fresh table {@code (v text)} no other test uses. */
    private static String table() {
        String name = "public.chain_t_" + UUID.randomUUID().toString().substring(0, 8);
        Jdbc.update("CREATE TABLE " + name + " (v text)");
        return name;
    }

    private static List<Object> values(String table) {
        return Jdbc.rows("SELECT v FROM " + table + " ORDER BY v").stream().map(r -> r.get("v")).toList();
    }

    @Test
    void pattern1_aOneTaskChainRunsAndLogsOneExecution() {
        String t = table();
        String chain = Chains.create(Map.of("tasks", List.of(Chains.sql("INSERT INTO " + t + " VALUES ('done')")))).getString("id");

        JsonPath run = Chains.runAndAwait(chain, "COMPLETED");

        assertEquals(List.of("done"), values(t));
        assertEquals("chain", run.getString("kind"));
        List<Map<String, Object>> log = Chains.log(run.getString("id"));
        assertEquals(1, log.size());
        assertEquals(0, log.get(0).get("returnCode"));
        assertEquals(chain, log.get(0).get("chainId"));
        assertEquals(List.of(run.getString("id")), ok("query($c: ID!) { chainRuns(chainId: $c) { nodes { id } } }",
                Map.of("c", chain)).getList("chainRuns.nodes.id"));
    }

    @Test
    void pattern2_aFailedTaskRollsTheWholeChainBackAndNamesTheTask() {
        String t = table();
        String chain = Chains.create(Map.of("tasks", List.of(
                Chains.sql("INSERT INTO " + t + " VALUES ('first')"),
                Map.of("name", "divide", "command", "SELECT 1/0"),
                Chains.sql("INSERT INTO " + t + " VALUES ('never')")))).getString("id");

        JsonPath run = Chains.runAndAwait(chain, "FAILED");

        assertEquals(List.of(), values(t), "the first task's insert was rolled back with the chain's transaction");
        assertTrue(run.getString("error").contains("'divide'"), run.getString("error"));
        assertTrue(run.getString("error").contains("division by zero"), run.getString("error"));
        List<Map<String, Object>> log = Chains.log(run.getString("id"));
        assertEquals(List.of(0, 1), log.stream().map(r -> r.get("returnCode")).toList(), "logged though rolled back; the rest skipped");
    }

    @Test
    void ignoreError_rollsBackToTheTasksSavepointAndTheChainGoesOn() {
        String t = table();
        String chain = Chains.create(Map.of("tasks", List.of(
                Chains.sql("INSERT INTO " + t + " VALUES ('a')"),
                Map.of("command", "INSERT INTO " + t + " VALUES ('half'); SELECT 1/0", "ignoreError", true),
                Chains.sql("INSERT INTO " + t + " VALUES ('b')")))).getString("id");

        JsonPath run = Chains.runAndAwait(chain, "COMPLETED");

        assertEquals(List.of("a", "b"), values(t), "the failed task's own insert is gone, the others committed");
        assertEquals(1, run.getInt("result.ignoredFailures"));
        assertEquals(List.of(0, 1, 0), Chains.log(run.getString("id")).stream().map(r -> r.get("returnCode")).toList());
    }

    @Test
    void onError_runsInItsOwnTransactionWithTheError() {
        String t = table();
        String chain = Chains.create(Map.of("onError", "INSERT INTO " + t + " VALUES (current_setting('jobyard.chain_error'))",
                "tasks", List.of(Chains.sql("INSERT INTO " + t + " VALUES ('rolled back')"),
                        Map.of("name", "boom", "command", "SELECT 1/0")))).getString("id");

        Chains.runAndAwait(chain, "FAILED");

        List<Object> rows = values(t);
        assertEquals(1, rows.size(), "only onError's row: " + rows);
        assertTrue(rows.get(0).toString().contains("'boom'") && rows.get(0).toString().contains("division by zero"), rows.toString());
    }

    @Test
    void anAutonomousTaskCommitsOnItsOwnAndStaysWhenALaterTaskFails() {
        String t = table();
        String chain = Chains.create(Map.of("tasks", List.of(
                Chains.sql("INSERT INTO " + t + " VALUES ('in chain')"),
                Map.of("command", "INSERT INTO " + t + " VALUES ('autonomous')", "autonomous", true),
                Chains.sql("SELECT 1/0")))).getString("id");

        Chains.runAndAwait(chain, "FAILED");

        assertEquals(List.of("autonomous"), values(t));
    }

    @Test
    void pattern5_eachParameterSetIsOneExecutionInOrder() {
        String t = table();
        String chain = Chains.create(Map.of("tasks", List.of(Map.of("command", "INSERT INTO " + t + " VALUES ($1)",
                "parameters", List.of(List.of("north"), List.of("south"), List.of("east"), List.of("west")))))).getString("id");

        JsonPath run = Chains.runAndAwait(chain, "COMPLETED");

        assertEquals(List.of("east", "north", "south", "west"), values(t));
        List<Map<String, Object>> log = Chains.log(run.getString("id"));
        assertEquals(List.of(1, 2, 3, 4), log.stream().map(r -> r.get("parameterIndex")).toList());
        assertEquals(List.of("north"), log.get(0).get("params"));
    }

    @Test
    void pattern9_anAutonomousTaskWritesTheParametersOfALaterTask() {
        String t = table();
        Jdbc.update("CREATE TABLE " + t + "_src (name text)");
        Jdbc.update("INSERT INTO " + t + "_src VALUES ('x'), ('y'), ('z')");
        JsonPath c = Chains.create(Map.of("tasks", List.of(
                Map.of("name", "generate", "command", "SELECT 1", "autonomous", true),
                Map.of("name", "worker", "command", "INSERT INTO " + t + " VALUES ($1)", "ignoreError", true))));
        String worker = c.getString("tasks[1].id");
        ok("mutation($id: ID!, $in: ChainTaskInput!) { updateChainTask(id: $id, input: $in) { id } }", Map.of("id",
                c.getString("tasks[0].id"), "in", Map.of("command", "DELETE FROM jobyard.chain_parameter WHERE task_id = " + worker
                        + "; INSERT INTO jobyard.chain_parameter (task_id, order_id, value) SELECT " + worker
                        + ", row_number() OVER (ORDER BY name), jsonb_build_array(name) FROM " + t + "_src")));

        JsonPath run = Chains.runAndAwait(c.getString("id"), "COMPLETED");

        assertEquals(List.of("x", "y", "z"), values(t));
        assertEquals(3, Chains.log(run.getString("id")).stream().filter(r -> "worker".equals(r.get("taskName"))).count());
    }

    @Test
    void pattern8_theLogOfThisRunIsFoundByChainIdAndTxid() {
        String t = table();
        String chain = Chains.create(Map.of("tasks", List.of(
                Chains.sql("SELECT 1"),
                Map.of("kind", "noop"),
                Chains.sql("INSERT INTO " + t + " SELECT count(*) || ' ' || current_setting('jobyard.chain_run_id')"
                        + " FROM jobyard.chain_execution_log WHERE chain_id = current_setting('jobyard.chain_id')::bigint"
                        + " AND txid = txid_current()")))).getString("id");

        JsonPath run = Chains.runAndAwait(chain, "COMPLETED");

        assertEquals(List.of("2 " + run.getString("id")), values(t), "the two earlier executions, by the chain transaction's txid");
        List<Map<String, Object>> log = Chains.log(run.getString("id"));
        assertEquals(1, log.stream().map(r -> r.get("txid")).distinct().count());
    }

    @Test
    void aTaskTimeoutFailsTheExecutionAndIgnoreErrorLetsTheChainGoOn() {
        String t = table();
        String chain = Chains.create(Map.of("tasks", List.of(
                Map.of("command", "SELECT pg_sleep(20)", "timeoutSeconds", 1, "ignoreError", true),
                Chains.sql("INSERT INTO " + t + " VALUES ('after')")))).getString("id");

        JsonPath run = Chains.runAndAwait(chain, "COMPLETED");

        assertEquals(List.of("after"), values(t));
        Map<String, Object> first = Chains.log(run.getString("id")).get(0);
        assertEquals(1, first.get("returnCode"));
        assertTrue(first.get("output").toString().contains("timed out"), first.toString());
    }

    @Test
    void theChainTimeoutRollsBackAndRunsOnError() {
        String t = table();
        String chain = Chains.create(Map.of("timeoutSeconds", 1, "onError", "INSERT INTO " + t + " VALUES ('on error')",
                "tasks", List.of(Chains.sql("INSERT INTO " + t + " VALUES ('rolled back')"), Chains.sql("SELECT pg_sleep(20)"))))
                .getString("id");

        JsonPath run = Chains.runAndAwait(chain, "FAILED");

        assertTrue(run.getString("error").contains("timed out"), run.getString("error"));
        assertEquals(List.of("on error"), values(t));
    }

    @Test
    void stopChainCancelsTheRunningStatementRollsBackAndSkipsOnError() {
        String t = table();
        String marker = "chain_stop_" + UUID.randomUUID().toString().substring(0, 8);
        String chain = Chains.create(Map.of("onError", "INSERT INTO " + t + " VALUES ('on error')", "tasks", List.of(
                Chains.sql("INSERT INTO " + t + " VALUES ('rolled back')"),
                Chains.sql("SELECT pg_sleep(60), '" + marker + "'")))).getString("id");
        String run = Chains.run(chain);
        Await.until(Duration.ofSeconds(20), () -> Jdbc.<Long>value(
                "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%' || ? || '%' AND query NOT LIKE '%pg_stat_activity%'", marker),
                n -> n == 1, "the sleeping statement to run");

        List<String> stopped = ok("mutation($id: ID!) { stopChain(id: $id, reason: \"enough\") { id } }", Map.of("id", chain))
                .getList("stopChain.id");

        assertEquals(List.of(run), stopped);
        Jobs.awaitStatus(run, "CANCELLED", Duration.ofSeconds(15));
        Await.until(Duration.ofSeconds(10), () -> Jdbc.<Long>value(
                "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%' || ? || '%' AND query NOT LIKE '%pg_stat_activity%'"
                        + " AND state = 'active'", marker), n -> n == 0, "the statement to be cancelled");
        assertEquals(List.of(), values(t), "rolled back, and onError did not run");
    }

    @Test
    void otherKindsRunInProcessWithTheirParametersAsPayloadFields() {
        String chain = Chains.create(Map.of("tasks", List.of(
                Map.of("name", "nap", "kind", "sleep", "parameters", List.of(Map.of("ms", 10), Map.of("ms", 20))),
                Map.of("name", "note", "kind", "log", "payload", Map.of("message", "chain says hi"))))).getString("id");

        JsonPath run = Chains.runAndAwait(chain, "COMPLETED");

        List<Map<String, Object>> log = Chains.log(run.getString("id"));
        assertEquals(List.of("nap", "nap", "note"), log.stream().map(r -> r.get("taskName")).toList());
        assertTrue(log.get(1).get("output").toString().contains("20"), log.get(1).toString());
    }

    @Test
    void maxAttemptsRetriesTheRunFromTheFirstTask() {
        String t = table();
        // Fails on the first attempt only: the autonomous task counts attempts in a table of its own.
        String chain = Chains.create(Map.of("maxAttempts", 2, "tasks", List.of(
                Map.of("command", "INSERT INTO " + t + " VALUES ('attempt')", "autonomous", true),
                Chains.sql("SELECT 1 / ((SELECT count(*) FROM " + t + ") - 1)")))).getString("id");

        JsonPath run = Chains.runAndAwait(chain, "COMPLETED");

        assertEquals(2, run.getInt("attempts"));
        assertEquals(List.of("attempt", "attempt"), values(t));
    }

    @Test
    void aRunOfADeletedChainFailsWhenItStarts() {
        String chain = Chains.create(Map.of("tasks", List.of(Chains.sql("SELECT 1")))).getString("id");
        String run = ok("mutation($id: ID!) { runChain(id: $id, delaySeconds: 2) { id } }", Map.of("id", chain))
                .getString("runChain.id");

        Chains.delete(chain);

        JsonPath ended = Jobs.awaitStatus(run, "FAILED", Duration.ofSeconds(20));
        assertTrue(ended.getString("error").contains("no longer exists"), ended.getString("error"));
    }

    @Test
    void aRunForAClientNoReplicaHasWaitsPendingWhileOthersRun() {
        String chain = Chains.create(Map.of("clientName", "no-such-client", "tasks", List.of(Chains.sql("SELECT 1")))).getString("id");
        String waiting = Chains.run(chain);

        String anywhere = ok("mutation($id: ID!) { runChain(id: $id, clientName: \"\") { id } }", Map.of("id", chain))
                .getString("runChain.id");
        Jobs.awaitStatus(anywhere, "COMPLETED", Duration.ofSeconds(20));

        assertEquals("PENDING", Jobs.status(waiting), "this replica has no jobyard.client-name, so the run waits for one");
        assertEquals("no-such-client", Jdbc.value("SELECT client_name FROM jobyard.job WHERE id = ?", Long.parseLong(waiting)));
        assertEquals(List.of(waiting), ok("mutation($id: ID!) { stopChain(id: $id) { id } }", Map.of("id", chain)).getList("stopChain.id"));
        Jobs.awaitStatus(waiting, "CANCELLED", Duration.ofSeconds(10));
    }

    @Test
    void everyWayARunIsInsertedSetsItsClientName() {
        String chain = Chains.create(Map.of("clientName", "no-such-client", "schedule", "@every 1 second",
                "tasks", List.of(Chains.sql("SELECT 1")))).getString("id");
        long chainId = Long.parseLong(chain);
        try {
            // the schedule's firing
            Long fired = Await.until(Duration.ofSeconds(20),
                    () -> Jdbc.<Long>value("SELECT min(id) FROM jobyard.job WHERE schedule_id = ?", chainId),
                    id -> id != null, "a run fired by the chain's schedule");
            assertEquals("no-such-client", Jdbc.value("SELECT client_name FROM jobyard.job WHERE id = ?", fired));
            ok("mutation($id: ID!) { pauseChain(id: $id) { id } }", Map.of("id", chain));
            ok("mutation($id: ID!) { cancelJob(id: $id) { id } }", Map.of("id", String.valueOf(fired)));
            Jobs.awaitStatus(String.valueOf(fired), "CANCELLED", Duration.ofSeconds(10));

            // retryJob of that run: the new job takes the client name again from the payload
            String retried = ok("mutation($id: ID!) { retryJob(id: $id) { id } }", Map.of("id", String.valueOf(fired)))
                    .getString("retryJob.id");
            assertEquals("no-such-client", Jdbc.value("SELECT client_name FROM jobyard.job WHERE id = ?", Long.parseLong(retried)));

            // createJob of kind chain, naming a client in its payload (and not left to start at create)
            String created = ok("mutation($p: JSON) { createJob(input: {kind: \"chain\", payload: $p}) { id status } }",
                    Map.of("p", Map.of("chainId", chainId, "clientName", "other-client"))).getString("createJob.id");
            assertEquals("other-client", Jdbc.value("SELECT client_name FROM jobyard.job WHERE id = ?", Long.parseLong(created)));
            assertEquals("PENDING", Jobs.status(created));
            ok("mutation($id: ID!) { cancelJob(id: $id) { id } }", Map.of("id", created));

            // a job of another kind has none
            String plain = ok("mutation { createJob(input: {kind: \"noop\", payload: {clientName: \"x\"}}) { id } }")
                    .getString("createJob.id");
            Jobs.awaitStatus(plain, "COMPLETED", Duration.ofSeconds(20));
        } finally {
            ok("mutation($id: ID!) { stopChain(id: $id) { id } }", Map.of("id", chain));
            Chains.delete(chain);
        }
        assertEquals(0L, Jdbc.<Long>value("SELECT count(*) FROM jobyard.job WHERE schedule_id = ? OR payload @> ?::jsonb",
                chainId, "{\"chainId\": " + chainId + "}"), "every run of the test was cancelled");
    }
}
