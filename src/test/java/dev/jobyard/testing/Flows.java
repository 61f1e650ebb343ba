package dev.jobyard.testing;

import static dev.jobyard.testing.GraphQLClient.ok;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.restassured.path.json.JsonPath;

/** The GraphQL calls the flow tests make again and again. */
public final class Flows {

    public static final String RUN_FIELDS = "id flowSlug status input output error remainingSteps idempotencyKey "
            + "steps { stepSlug status remainingDeps initialTasks remainingTasks output error "
            + "tasks { index jobId status attempts output error } }";

    private Flows() {
    }

    /** A flow slug no other test uses. */
    public static String uniqueSlug(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static Map<String, Object> step(String slug, String type, String kind, List<String> dependsOn) {
        Map<String, Object> step = new HashMap<>();
        step.put("slug", slug);
        step.put("type", type);
        step.put("kind", kind);
        step.put("dependsOn", dependsOn);
        return step;
    }

    public static Map<String, Object> step(String slug, String type, String kind, List<String> dependsOn,
            Map<String, Object> payload) {
        Map<String, Object> step = step(slug, type, kind, dependsOn);
        step.put("payload", payload);
        return step;
    }

    /** Creates a flow on a queue of its own; returns its slug. */
    public static String create(String slug, List<Map<String, Object>> steps, Map<String, Object> options) {
        Map<String, Object> input = new HashMap<>(options);
        input.put("slug", slug);
        input.putIfAbsent("queue", Jobs.uniqueQueue());
        input.put("steps", steps);
        ok("mutation($in: FlowInput!) { createFlow(input: $in) { id } }", Map.of("in", input));
        return slug;
    }

    public static String create(String slug, List<Map<String, Object>> steps) {
        return create(slug, steps, Map.of());
    }

    /** Starts a run with {@code input} (any JSON value); returns it as startFlow answered. */
    public static JsonPath start(String slug, Object input) {
        Map<String, Object> vars = new HashMap<>();
        vars.put("s", slug);
        vars.put("in", input);
        return ok("mutation($s: String!, $in: JSON) { startFlow(slug: $s, input: $in) { " + RUN_FIELDS + " } }", vars)
                .setRootPath("data.startFlow");
    }

    public static JsonPath run(String id) {
        return ok("query($id: ID!) { flowRun(id: $id) { " + RUN_FIELDS + " } }", Map.of("id", id)).setRootPath("data.flowRun");
    }

    public static String status(String id) {
        return ok("query($id: ID!) { flowRun(id: $id) { status } }", Map.of("id", id)).getString("flowRun.status");
    }

    public static JsonPath awaitStatus(String id, String status, Duration timeout) {
        Await.until(timeout, () -> status(id), status::equals, "flow run " + id + " to be " + status);
        return run(id);
    }

    public static JsonPath awaitStatus(String id, String status) {
        return awaitStatus(id, status, Duration.ofSeconds(30));
    }

    /** Active jobs (pending or running) whose labels name this run. */
    public static long activeJobs(String runId) {
        Number n = Jdbc.value("SELECT count(*) FROM jobyard.job WHERE owner = 'flow' AND labels->>'flowRun' = ?", runId);
        return n.longValue();
    }
}
