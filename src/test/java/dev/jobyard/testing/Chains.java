package dev.jobyard.testing;

import static dev.jobyard.testing.GraphQLClient.execute;
import static dev.jobyard.testing.GraphQLClient.ok;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.restassured.path.json.JsonPath;

/** The GraphQL calls the chain tests make again and again. */
public final class Chains {

    public static final String FIELDS = "id name description schedule timezone live status maxInstances timeoutSeconds "
            + "selfDestruct exclusive clientName onError maxAttempts queue misfirePolicy createdAt updatedAt lastRunAt "
            + "nextRunAt tasks { id order name kind command payload parameters ignoreError autonomous timeoutSeconds }";
    public static final String LOG_FIELDS = "id runId chainId taskId taskName parameterIndex txid startedAt finishedAt "
            + "returnCode output params worker clientName";

    private Chains() {
    }

    public static String uniqueName() {
        return "chain-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates a chain from {@code input}, with a unique name unless it has one. */
    public static JsonPath create(Map<String, Object> input) {
        Map<String, Object> in = new HashMap<>(input);
        in.putIfAbsent("name", uniqueName());
        return ok("mutation($in: ChainInput!) { createChain(input: $in) { " + FIELDS + " } }", Map.of("in", in))
                .setRootPath("data.createChain");
    }

    /** The GraphQL answer, errors and all. */
    public static JsonPath tryCreate(Map<String, Object> input) {
        return execute("mutation($in: ChainInput!) { createChain(input: $in) { id } }", Map.of("in", input));
    }

    public static JsonPath get(String id) {
        return ok("query($id: ID) { chain(id: $id) { " + FIELDS + " } }", Map.of("id", id)).setRootPath("data.chain");
    }

    public static Map<String, Object> sql(String command) {
        return Map.of("command", command);
    }

    /** Starts a run now; returns the run's job id. */
    public static String run(String chainId) {
        return ok("mutation($id: ID!) { runChain(id: $id) { id } }", Map.of("id", chainId)).getString("runChain.id");
    }

    /** Runs the chain and waits for the run to end {@code status}; returns the run's job. */
    public static JsonPath runAndAwait(String chainId, String status) {
        return Jobs.awaitStatus(run(chainId), status, Duration.ofSeconds(30));
    }

    public static List<Map<String, Object>> log(String runId) {
        return ok("query($r: ID) { chainLog(runId: $r, first: 500) { nodes { " + LOG_FIELDS + " } } }", Map.of("r", runId))
                .getList("chainLog.nodes");
    }

    public static String errorCode(JsonPath answer) {
        return answer.getString("errors[0].extensions.code");
    }

    public static String errorMessage(JsonPath answer) {
        return answer.getString("errors[0].message");
    }

    public static void delete(String id) {
        execute("mutation($id: ID!) { deleteChain(id: $id) { id } }", Map.of("id", id));
    }

    /** Creates a chain through {@code replica} (a process of a {@link JobyardCluster}); returns its id. */
    public static String createOn(ReplicaProcess replica, Map<String, Object> input) {
        Map<String, Object> in = new HashMap<>(input);
        in.putIfAbsent("name", uniqueName());
        return replica.graphql("mutation($in: ChainInput!) { createChain(input: $in) { id } }", Map.of("in", in))
                .getString("createChain.id");
    }

    /** Starts a run through {@code replica}; {@code clientName} null keeps the chain's, "" is any replica. */
    public static long runOn(ReplicaProcess replica, String chainId, String clientName) {
        Map<String, Object> vars = new HashMap<>();
        vars.put("id", chainId);
        vars.put("c", clientName);
        return Long.parseLong(replica.graphql("mutation($id: ID!, $c: String) { runChain(id: $id, clientName: $c) { id } }",
                vars).getString("runChain.id"));
    }

    /**
     * Waits until every run of {@code runs} is archived COMPLETED and returns each one's worker by run id. One
     * history row per id, so each ran to completion once.
     */
    public static Map<Long, String> awaitCompleted(Duration timeout, List<Long> runs) {
        Await.until(timeout, () -> Jdbc.<Long>value(
                "SELECT count(*) FROM jobyard.job_history WHERE id = ANY(?) AND status = 'COMPLETED'", runs),
                n -> n == runs.size(), runs.size() + " chain runs COMPLETED");
        Map<Long, String> workers = new HashMap<>();
        for (Map<String, Object> row : Jdbc.rows("SELECT id, worker FROM jobyard.job_history WHERE id = ANY(?)", runs)) {
            workers.put((Long) row.get("id"), (String) row.get("worker"));
        }
        return workers;
    }

    /** Deletes the chain (its schedule row owns it) by id, straight in the database: cleanup after a cluster test. */
    public static void deleteInDatabase(String id) {
        Jdbc.update("DELETE FROM jobyard.schedule WHERE id = ?", Long.parseLong(id));
    }
}
