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
}
