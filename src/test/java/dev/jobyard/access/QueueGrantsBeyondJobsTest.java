package dev.jobyard.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Await;
import dev.jobyard.testing.GraphQLClient;
import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.SubscriptionClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;

/**
 * Queue grants beyond jobs and schedules (docs/security.md, "Queue grants"): a chain's queue is the one its runs go to,
 * a flow's the one of all its jobs, a durable event's the queues of the tasks it woke. A caller limited to some queues
 * neither sees nor acts on the others' chains, flows, runs and events, and a refused call changes nothing.
 */
@QuarkusTest
@TestProfile(AuthOn.class)
class QueueGrantsBeyondJobsTest {

    private static final String CHAIN = "id name queue live tasks { id kind }";

    @TestHTTPResource("/graphql")
    URI graphql;

    private static String prefix(String what) {
        return what + "-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    }

    private static JsonPath admin(String document, Map<String, Object> variables) {
        return GraphQLClient.okAs(AuthOn.BOOTSTRAP, document, variables);
    }

    private static void assertRefused(String code, String credential, String document, Map<String, Object> variables) {
        GraphQLClient.Answer answer = GraphQLClient.as(credential, document, variables);
        assertEquals(code, answer.jsonPath().getString("errors[0].extensions.code"), document + " -> " + answer.body());
    }

    private static String createChain(String name, String queue) {
        return admin("mutation($in: ChainInput!) { createChain(input: $in) { id } }", Map.of("in", Map.of("name", name,
                "queue", queue, "live", false, "tasks", List.of(Map.of("kind", "noop"), Map.of("kind", "noop")))))
                .getString("createChain.id");
    }

    private static String chainAsAdmin(String id) {
        return admin("query($id: ID) { chain(id: $id) { " + CHAIN + " description maxAttempts } }", Map.of("id", id))
                .prettify();
    }

    private static long rows(String sql, Object... args) {
        return Jdbc.<Number>value(sql, args).longValue();
    }

    @Test
    void chainsOfOtherQueuesDoNotExistForALimitedCaller() {
        String prefix = prefix("chains");
        String mine = createChain(prefix + "mine", prefix + "q");
        String theirs = createChain(prefix + "theirs", "other-" + UUID.randomUUID());
        String theirTask = admin("query($id: ID) { chain(id: $id) { tasks { id } } }", Map.of("id", theirs))
                .getString("chain.tasks[0].id");
        String operator = Keys.create("OPERATOR", List.of(prefix + "*"));

        List<String> listed = GraphQLClient.okAs(operator, "{ chains(first: 500) { nodes { id } } }", Map.of())
                .getList("chains.nodes.id");
        assertTrue(listed.contains(mine) && !listed.contains(theirs), listed.toString());
        String exported = GraphQLClient.okAs(operator, "{ exportChains }", Map.of()).getString("exportChains");
        assertTrue(exported.contains(prefix + "mine") && !exported.contains(prefix + "theirs"), exported);

        String before = chainAsAdmin(theirs);
        Map<String, Object> id = Map.of("id", theirs);
        for (String document : List.of("query($id: ID) { chain(id: $id) { id } }",
                "query($id: ID!) { chainRuns(chainId: $id) { nodes { id } } }",
                "mutation($id: ID!) { updateChain(id: $id, input: {description: \"x\"}) { id } }",
                "mutation($id: ID!) { pauseChain(id: $id) { id } }",
                "mutation($id: ID!) { resumeChain(id: $id) { id } }",
                "mutation($id: ID!) { runChain(id: $id) { id } }",
                "mutation($id: ID!) { stopChain(id: $id) { id } }",
                "mutation($id: ID!) { addChainTask(chainId: $id, input: {kind: \"noop\"}) { id } }")) {
            assertRefused("NOT_FOUND", operator, document, id);
        }
        Map<String, Object> task = Map.of("id", theirTask);
        for (String document : List.of("mutation($id: ID!) { updateChainTask(id: $id, input: {name: \"x\"}) { id } }",
                "mutation($id: ID!) { moveChainTask(id: $id, direction: DOWN) { id } }",
                "mutation($id: ID!) { setChainTaskParameters(taskId: $id, parameters: [{}]) { id } }",
                "mutation($id: ID!) { deleteChainTask(id: $id) { id } }")) {
            assertRefused("NOT_FOUND", operator, document, task);
        }
        String limitedAdmin = Keys.create("ADMIN", List.of(prefix + "*"));
        assertRefused("NOT_FOUND", limitedAdmin, "mutation($id: ID!) { deleteChain(id: $id) { id } }", id);
        assertRefused("NOT_FOUND", operator, "{ exportChains(names: [\"" + prefix + "theirs\"]) }", Map.of());
        assertRefused("FORBIDDEN", limitedAdmin, "mutation { importChains(yaml: \"- chain_name: x\\n  live: false\\n\") { chains { id } } }",
                Map.of());
        assertEquals(before, chainAsAdmin(theirs), "the refused calls changed the chain");
        assertEquals(0, rows("SELECT count(*) FROM jobyard.job WHERE schedule_id = ?", Long.parseLong(theirs)),
                "a refused runChain made a run");

        // Its own chains: created (tasks run in the chain's queue, not in 'default'), changed, run; not moved out.
        String created = GraphQLClient.okAs(operator, "mutation($in: ChainInput!) { createChain(input: $in) { id } }",
                Map.of("in", Map.of("name", prefix + "new", "queue", prefix + "q2", "live", false,
                        "tasks", List.of(Map.of("kind", "noop"))))).getString("createChain.id");
        GraphQLClient.okAs(operator, "mutation($id: ID!) { runChain(id: $id, delaySeconds: 3600) { id } }", Map.of("id", mine));
        assertEquals(1, GraphQLClient.okAs(operator, "query($id: ID!) { chainRuns(chainId: $id) { nodes { id } } }",
                Map.of("id", mine)).getList("chainRuns.nodes").size());
        String elsewhere = "other-" + UUID.randomUUID();
        assertRefused("FORBIDDEN", operator, "mutation($in: ChainInput!) { createChain(input: $in) { id } }",
                Map.of("in", Map.of("name", prefix + "out", "queue", elsewhere, "tasks", List.of(Map.of("kind", "noop")))));
        assertEquals(0, rows("SELECT count(*) FROM jobyard.chain WHERE name = ?", prefix + "out"));
        String mineBefore = chainAsAdmin(mine);
        assertRefused("FORBIDDEN", operator, "mutation($id: ID!, $q: String) { updateChain(id: $id, input: {queue: $q}) { id } }",
                Map.of("id", mine, "q", elsewhere));
        assertEquals(mineBefore, chainAsAdmin(mine));
        for (String chain : List.of(mine, theirs, created)) {
            admin("mutation($id: ID!) { stopChain(id: $id) { id } }", Map.of("id", chain));
            admin("mutation($id: ID!) { deleteChain(id: $id) { id } }", Map.of("id", chain));
        }
    }

    @Test
    void theChainLogShowsOnlyChainsOfGrantedQueues() {
        String prefix = prefix("chainlog");
        String mine = createChain(prefix + "mine", prefix + "q");
        String theirs = createChain(prefix + "theirs", "other-" + UUID.randomUUID());
        // Two entries of each chain, as its runs write them (runs need sql, off in this profile; the log has no keys).
        for (String chain : List.of(mine, theirs, mine, theirs)) {
            Jdbc.update("INSERT INTO jobyard.chain_execution_log (run_id, chain_id, started_at, return_code) VALUES (0, ?, now(), 0)",
                    Long.parseLong(chain));
        }
        String viewer = Keys.create("VIEWER", List.of(prefix + "*"));
        List<String> logged = GraphQLClient.okAs(viewer, "query($after: String) { chainLog(first: 500, after: $after) { nodes { chainId } } }",
                Map.of("after", cursorBefore(mine))).getList("chainLog.nodes.chainId");
        assertTrue(logged.contains(mine) && !logged.contains(theirs), logged.toString());
        assertEquals(List.of(), GraphQLClient.okAs(viewer, "query($id: ID) { chainLog(chainId: $id) { nodes { id } } }",
                Map.of("id", theirs)).getList("chainLog.nodes"));
        assertEquals(2, admin("query($id: ID) { chainLog(chainId: $id) { nodes { id } } }", Map.of("id", theirs))
                .getList("chainLog.nodes").size());
        admin("mutation($id: ID!) { deleteChain(id: $id) { id } }", Map.of("id", mine));
        admin("mutation($id: ID!) { deleteChain(id: $id) { id } }", Map.of("id", theirs));
    }

    /** A chainLog cursor just before this test's entries, so that other tests' entries do not fill the page. */
    private static String cursorBefore(String chainId) {
        long first = rows("SELECT min(id) FROM jobyard.chain_execution_log WHERE chain_id = ?", Long.parseLong(chainId));
        return java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("id:" + (first - 1)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void chainEventsOfOtherQueuesNeverArrive() throws Exception {
        String prefix = prefix("chainev");
        String mine = createChain(prefix + "mine", prefix + "q");
        String theirs = createChain(prefix + "theirs", "other-" + UUID.randomUUID());
        String viewer = Keys.create("VIEWER", List.of(prefix + "*"));
        try (SubscriptionClient client = SubscriptionClient.connectWith(SubscriptionClient.webSocketOf(graphql),
                new JsonObject().put("Authorization", "Bearer " + viewer))) {
            client.subscribe("1", "subscription { chainEvents { chainId type } }", Map.of());
            awaitEvent(client, "chainEvents", () -> admin("mutation($id: ID!, $d: String) { updateChain(id: $id, "
                    + "input: {description: $d}) { id } }", Map.of("id", mine, "d", UUID.randomUUID().toString())),
                    e -> mine.equals(e.getString("chainId")));
            admin("mutation($id: ID!) { updateChain(id: $id, input: {description: \"theirs\"}) { id } }", Map.of("id", theirs));
            admin("mutation($id: ID!) { runChain(id: $id, delaySeconds: 3600) { id } }", Map.of("id", theirs));
            admin("mutation($id: ID!) { updateChain(id: $id, input: {description: \"last\"}) { id } }", Map.of("id", mine));
            untilMine(client, "chainEvents", e -> e.getString("chainId"), mine, theirs, "last");
        }
        for (String chain : List.of(mine, theirs)) {
            admin("mutation($id: ID!) { stopChain(id: $id) { id } }", Map.of("id", chain));
            admin("mutation($id: ID!) { deleteChain(id: $id) { id } }", Map.of("id", chain));
        }
    }

    /** Repeats {@code cause} until the subscription delivers an event that {@code matches}: proof it runs. */
    private static void awaitEvent(SubscriptionClient client, String field, Runnable cause, Predicate<JsonObject> matches) {
        Await.until(Duration.ofSeconds(30), () -> {
            cause.run();
            try {
                for (JsonObject data = client.nextData(Duration.ofSeconds(2)); ; data = client.nextData(Duration.ofSeconds(2))) {
                    if (matches.test(data.getJsonObject(field))) {
                        return true;
                    }
                }
            } catch (AssertionError | InterruptedException e) {
                return false;
            }
        }, seen -> seen, "an event of the granted queue on " + field);
    }

    /** Reads events until {@code mine}'s latest; none may be of {@code theirs}. */
    private static void untilMine(SubscriptionClient client, String field, java.util.function.Function<JsonObject, String> idOf,
            String mine, String theirs, String why) throws InterruptedException {
        int ofMine = 0;
        while (ofMine == 0) {
            JsonObject event = client.nextData(Duration.ofSeconds(20)).getJsonObject(field);
            assertFalse(theirs.equals(idOf.apply(event)), "an event of another queue (" + why + "): " + event);
            if (mine.equals(idOf.apply(event))) {
                ofMine++;
            }
        }
    }

    private static String createFlow(String slug, String queue) {
        // The step waits an hour before it starts, so that a run stays STARTED.
        Map<String, Object> step = new HashMap<>(Map.of("slug", "only", "type", "SINGLE", "kind", "noop", "dependsOn", List.of(),
                "startDelaySeconds", 3600));
        admin("mutation($in: FlowInput!) { createFlow(input: $in) { id } }", Map.of("in", Map.of("slug", slug, "queue", queue,
                "steps", List.of(step))));
        return slug;
    }

    private static String startFlow(String credential, String slug) {
        return GraphQLClient.okAs(credential, "mutation($s: String!, $in: JSON) { startFlow(slug: $s, input: $in) { id } }",
                Map.of("s", slug, "in", Map.of())).getString("startFlow.id");
    }

    @Test
    void flowsAndTheirRunsOfOtherQueuesDoNotExistForALimitedCaller() {
        String prefix = prefix("flows");
        String mine = createFlow(prefix.replace('-', '_') + "mine", prefix + "q");
        String theirs = createFlow(prefix.replace('-', '_') + "theirs", "other-" + UUID.randomUUID());
        String theirRun = startFlow(AuthOn.BOOTSTRAP, theirs);
        String operator = Keys.create("OPERATOR", List.of(prefix + "*"));
        String myRun = startFlow(operator, mine);

        List<String> flows = GraphQLClient.okAs(operator, "{ flows(first: 500) { nodes { slug } } }", Map.of()).getList("flows.nodes.slug");
        assertTrue(flows.contains(mine) && !flows.contains(theirs), flows.toString());
        List<String> runs = GraphQLClient.okAs(operator, "{ flowRuns(first: 500) { nodes { id } } }", Map.of()).getList("flowRuns.nodes.id");
        assertTrue(runs.contains(myRun) && !runs.contains(theirRun), runs.toString());
        assertEquals(List.of(), GraphQLClient.okAs(operator, "query($s: String) { flowRuns(flowSlug: $s) { nodes { id } } }",
                Map.of("s", theirs)).getList("flowRuns.nodes"));

        assertRefused("NOT_FOUND", operator, "query($s: String) { flow(slug: $s) { id } }", Map.of("s", theirs));
        assertRefused("NOT_FOUND", operator, "query($id: ID!) { flowRun(id: $id) { id } }", Map.of("id", theirRun));
        assertRefused("NOT_FOUND", operator, "mutation($id: ID!) { cancelFlowRun(id: $id) { id } }", Map.of("id", theirRun));
        assertRefused("NOT_FOUND", operator, "mutation($s: String!, $in: JSON) { startFlow(slug: $s, input: $in) { id } }",
                Map.of("s", theirs, "in", Map.of()));
        assertRefused("NOT_FOUND", operator, "mutation($s: String!, $in: JSON) { startFlow(slug: $s, input: $in) { id } }",
                Map.of("s", theirs, "in", List.of(1, 2)));
        assertRefused("NOT_FOUND", Keys.create("ADMIN", List.of(prefix + "*")), "mutation($s: String!) { deleteFlow(slug: $s) { id } }",
                Map.of("s", theirs));
        assertEquals("STARTED", admin("query($id: ID!) { flowRun(id: $id) { status } }", Map.of("id", theirRun)).getString("flowRun.status"));
        assertEquals(1, rows("SELECT count(*) FROM jobyard.flow_run WHERE flow_slug = ?", theirs), "a refused startFlow made a run");

        String elsewhere = prefix.replace('-', '_') + "out";
        assertRefused("FORBIDDEN", operator, "mutation($in: FlowInput!) { createFlow(input: $in) { id } }", Map.of("in", Map.of(
                "slug", elsewhere, "queue", "other-" + UUID.randomUUID(), "steps", List.of(Map.of("slug", "a", "type", "SINGLE",
                        "kind", "noop", "dependsOn", List.of())))));
        assertEquals(0, rows("SELECT count(*) FROM jobyard.flow WHERE slug = ?", elsewhere));
        GraphQLClient.okAs(operator, "mutation($in: FlowInput!) { createFlow(input: $in) { id } }", Map.of("in", Map.of(
                "slug", prefix.replace('-', '_') + "own", "queue", prefix + "q3", "steps", List.of(Map.of("slug", "a",
                        "type", "SINGLE", "kind", "noop", "dependsOn", List.of())))));
        GraphQLClient.okAs(operator, "mutation($id: ID!) { cancelFlowRun(id: $id) { status } }", Map.of("id", myRun));
        admin("mutation($id: ID!) { cancelFlowRun(id: $id) { status } }", Map.of("id", theirRun));
    }

    @Test
    void flowRunEventsOfOtherQueuesNeverArrive() throws Exception {
        String prefix = prefix("flowev");
        String mine = createFlow(prefix.replace('-', '_') + "mine", prefix + "q");
        String theirs = createFlow(prefix.replace('-', '_') + "theirs", "other-" + UUID.randomUUID());
        String viewer = Keys.create("VIEWER", List.of(prefix + "*"));
        try (SubscriptionClient client = SubscriptionClient.connectWith(SubscriptionClient.webSocketOf(graphql),
                new JsonObject().put("Authorization", "Bearer " + viewer))) {
            client.subscribe("1", "subscription { flowRunEvents { flowSlug runId type } }", Map.of());
            awaitEvent(client, "flowRunEvents", () -> startFlow(AuthOn.BOOTSTRAP, mine), e -> mine.equals(e.getString("flowSlug")));
            startFlow(AuthOn.BOOTSTRAP, theirs);
            startFlow(AuthOn.BOOTSTRAP, mine);
            untilMine(client, "flowRunEvents", e -> e.getString("flowSlug"), mine, theirs, "a run of another queue's flow");
        }
        for (Map<String, Object> run : Jdbc.rows("SELECT id FROM jobyard.flow_run WHERE flow_slug IN (?, ?) AND status = 'STARTED'",
                mine, theirs)) {
            admin("mutation($id: ID!) { cancelFlowRun(id: $id) { status } }", Map.of("id", String.valueOf(run.get("id"))));
        }
    }

    private static String script(String credential, String queue, List<Map<String, Object>> ops) {
        return GraphQLClient.okAs(credential, "mutation($in: JobInput!) { createJob(input: $in) { id } }", Map.of("in",
                Map.of("kind", "durable_script", "queue", queue, "payload", Map.of("ops", ops)))).getString("createJob.id");
    }

    private static String status(String jobId) {
        List<Map<String, Object>> active = Jdbc.rows("SELECT status FROM jobyard.job WHERE id = ?", Long.parseLong(jobId));
        return active.isEmpty() ? Jdbc.<String>value("SELECT status FROM jobyard.job_history WHERE id = ?", Long.parseLong(jobId))
                : (String) active.get(0).get("status");
    }

    private static void awaitStatus(String jobId, String wanted) {
        Await.until(Duration.ofSeconds(60), () -> status(jobId), wanted::equals, "job " + jobId + " " + wanted);
    }

    @Test
    void aLimitedCallersEventWakesTasksOfItsQueuesOnlyAndItSeesOnlyEventsThatReachedThem() {
        String prefix = prefix("durable");
        String event = prefix + "go";
        Map<String, Object> wait = Map.of("op", "waitForEvent", "key", "w", "event", event, "timeoutMs", 600_000);
        String mine = script(AuthOn.BOOTSTRAP, prefix + "q", List.of(wait));
        String theirs = script(AuthOn.BOOTSTRAP, "other-" + UUID.randomUUID(), List.of(wait));
        awaitStatus(mine, "WAITING");
        awaitStatus(theirs, "WAITING");
        String operator = Keys.create("OPERATOR", List.of(prefix + "*"));

        assertEquals(1, GraphQLClient.okAs(operator, "mutation($n: String!) { emitEvent(name: $n, payload: {by: \"op\"}) }",
                Map.of("n", event)).getInt("emitEvent"));
        awaitStatus(mine, "COMPLETED");
        assertEquals("WAITING", status(theirs), "the event reached a task of another queue");

        String viewer = Keys.create("VIEWER", List.of(prefix + "*"));
        Supplier<List<Integer>> seen = () -> GraphQLClient.okAs(viewer, "query($n: String) { events(name: $n) { woke } }",
                Map.of("n", event)).getList("events.woke");
        assertEquals(List.of(1), seen.get());
        assertEquals(1, admin("mutation($n: String!) { emitEvent(name: $n) }", Map.of("n", event)).getInt("emitEvent"));
        awaitStatus(theirs, "COMPLETED");
        assertEquals(List.of(1), seen.get(), "an event that woke only another queue's task is not the viewer's");
        assertEquals(List.of(1, 1), admin("query($n: String) { events(name: $n) { woke } }", Map.of("n", event)).getList("events.woke"));
    }

    @Test
    void aLimitedCallersScriptMayNotActOnOtherQueues() {
        String prefix = prefix("script");
        String operator = Keys.create("OPERATOR", List.of(prefix + "*"));
        long before = rows("SELECT count(*) FROM jobyard.job WHERE queue LIKE ?", prefix + "%");
        for (Map<String, Object> op : List.of(
                Map.<String, Object>of("op", "invoke", "key", "c", "kind", "noop", "queue", "other-" + UUID.randomUUID()),
                Map.<String, Object>of("op", "emit", "key", "e", "event", prefix + "e"),
                Map.<String, Object>of("op", "schedule", "key", "s", "name", prefix + "s", "expression", "@every 1 hour", "kind", "noop"),
                Map.<String, Object>of("op", "unschedule", "key", "u", "name", prefix + "s"))) {
            assertRefused("FORBIDDEN", operator, "mutation($in: JobInput!) { createJob(input: $in) { id } }", Map.of("in",
                    Map.of("kind", "durable_script", "queue", prefix + "q", "payload", Map.of("ops", List.of(op)))));
        }
        assertEquals(before, rows("SELECT count(*) FROM jobyard.job WHERE queue LIKE ?", prefix + "%"), "a refused job was made");

        // Invoking into its own queue (the script's, by default) is allowed; a child elsewhere is not shown to it.
        String parent = script(operator, prefix + "q", List.of(Map.of("op", "invoke", "key", "c", "kind", "noop"),
                Map.of("op", "invoke", "key", "d", "kind", "noop", "queue", prefix + "r")));
        awaitStatus(parent, "COMPLETED");
        String other = script(AuthOn.BOOTSTRAP, prefix + "q", List.of(Map.of("op", "invoke", "key", "c", "kind", "noop",
                "queue", "other-" + UUID.randomUUID())));
        awaitStatus(other, "COMPLETED");
        assertEquals(2, GraphQLClient.okAs(operator, "query($id: ID!) { job(id: $id) { children { id } } }", Map.of("id", parent))
                .getList("job.children").size());
        assertEquals(List.of(), GraphQLClient.okAs(operator, "query($id: ID!) { job(id: $id) { children { id } } }",
                Map.of("id", other)).getList("job.children"));
        assertEquals(1, admin("query($id: ID!) { job(id: $id) { children { id } } }", Map.of("id", other)).getList("job.children").size());
    }
}
