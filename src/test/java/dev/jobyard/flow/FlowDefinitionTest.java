package dev.jobyard.flow;

import static dev.jobyard.testing.GraphQLClient.execute;
import static dev.jobyard.testing.GraphQLClient.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Flows;
import dev.jobyard.testing.Jdbc;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** createFlow checks a definition whole and stores nothing when one rule breaks; definitions are immutable. */
@QuarkusTest
class FlowDefinitionTest {

    private static final String CREATE = "mutation($in: FlowInput!) { createFlow(input: $in) { id slug queue maxAttempts "
            + "steps { slug type kind payload dependsOn maxAttempts baseDelaySeconds timeoutSeconds startDelaySeconds } } }";

    private static Map<String, Object> flow(String slug, List<Map<String, Object>> steps) {
        Map<String, Object> input = new HashMap<>();
        input.put("slug", slug);
        input.put("steps", steps);
        return input;
    }

    /** Asserts a BAD_USER_INPUT on {@code field} whose message holds {@code text}, and that nothing was stored. */
    private static void refused(Map<String, Object> input, String field, String text) {
        JsonPath answer = execute(CREATE, Map.of("in", input));
        assertEquals("BAD_USER_INPUT", answer.getString("errors[0].extensions.code"), answer.prettify());
        String message = answer.getString("errors[0].message");
        assertTrue(message.contains(field + ": ") && message.contains(text), message);
        Number stored = Jdbc.value("SELECT count(*) FROM jobyard.flow WHERE slug = ?", input.get("slug"));
        assertEquals(0, stored.intValue(), "a refused flow stores nothing");
    }

    @Test
    void anUnknownDependencyIsRefusedNamingTheStep() {
        refused(flow(Flows.uniqueSlug("f"), List.of(Flows.step("a", "SINGLE", "noop", List.of()),
                Flows.step("b", "SINGLE", "noop", List.of("nope")))), "input.steps[1].dependsOn", "'nope'");
    }

    @Test
    void aDuplicateStepSlugIsRefused() {
        refused(flow(Flows.uniqueSlug("f"), List.of(Flows.step("a", "SINGLE", "noop", List.of()),
                Flows.step("a", "SINGLE", "noop", List.of()))), "input.steps[1].slug", "also the slug of steps[0]");
    }

    @Test
    void aCycleIsRefusedAndNamed() {
        refused(flow(Flows.uniqueSlug("f"), List.of(Flows.step("root", "SINGLE", "noop", List.of()),
                Flows.step("a", "SINGLE", "noop", List.of("root", "b")),
                Flows.step("b", "SINGLE", "noop", List.of("a")))), "dependsOn", "dependency cycle: a -> b -> a");
    }

    @Test
    void aMapStepWithTwoDependenciesIsRefused() {
        refused(flow(Flows.uniqueSlug("f"), List.of(Flows.step("a", "SINGLE", "noop", List.of()),
                Flows.step("b", "SINGLE", "noop", List.of()),
                Flows.step("m", "MAP", "noop", List.of("a", "b")))), "input.steps[2].dependsOn", "at most one dependency");
    }

    @Test
    void anUnknownKindIsRefused() {
        refused(flow(Flows.uniqueSlug("f"), List.of(Flows.step("a", "SINGLE", "no-such-kind", List.of()))),
                "input.steps[0].kind", "no handler serves kind 'no-such-kind'");
    }

    @Test
    void aStaticPayloadMayNotUseAKeyTheFlowFillsIn() {
        refused(flow(Flows.uniqueSlug("f"), List.of(Flows.step("a", "SINGLE", "noop", List.of()),
                Flows.step("b", "SINGLE", "noop", List.of("a"), Map.of("a", 1)))), "input.steps[1].payload.a", "filled in by the flow");
    }

    @Test
    void anUnknownStepTypeIsRefusedWithACode() {
        JsonPath answer = execute(CREATE, Map.of("in", flow(Flows.uniqueSlug("f"),
                List.of(Flows.step("a", "LOOP", "noop", List.of())))));
        assertTrue(answer.getString("errors[0].extensions.code") != null, answer.prettify());
        assertNull(answer.get("data.createFlow"));
    }

    @Test
    void theSameDefinitionTwiceReturnsTheFlowAndADifferentOneIsAConflict() {
        String slug = Flows.uniqueSlug("same");
        Map<String, Object> input = flow(slug, List.of(Flows.step("a", "SINGLE", "noop", List.of(), Map.of("x", 1)),
                Flows.step("b", "MAP", "noop", List.of("a"))));
        input.put("queue", "flows-def");
        JsonPath first = ok(CREATE, Map.of("in", input)).setRootPath("data.createFlow");
        JsonPath second = ok(CREATE, Map.of("in", input)).setRootPath("data.createFlow");
        assertEquals(first.getString("id"), second.getString("id"));
        assertEquals(List.of("a", "b"), second.getList("steps.slug"));
        assertEquals(List.of("a"), second.getList("steps[1].dependsOn"));
        assertEquals(Map.of("x", 1), second.getMap("steps[0].payload"));
        assertEquals(3, second.getInt("maxAttempts"));

        Map<String, Object> changed = new HashMap<>(input);
        changed.put("maxAttempts", 5);
        JsonPath answer = execute(CREATE, Map.of("in", changed));
        assertEquals("CONFLICT", answer.getString("errors[0].extensions.code"), answer.prettify());
        assertEquals(3, ok("query($s: String) { flow(slug: $s) { maxAttempts } }", Map.of("s", slug)).getInt("flow.maxAttempts"),
                "the stored definition is unchanged");
    }

    @Test
    void deleteFlowRemovesItUnlessARunIsActive() {
        String slug = Flows.create(Flows.uniqueSlug("del"), List.of(Flows.step("a", "SINGLE", "test-flow-emit", List.of())),
                Map.of("queue", "flows-paused-" + Flows.uniqueSlug("q")));
        ok("mutation($q: String!) { pauseQueue(name: $q) { name } }", Map.of("q",
                ok("query($s: String) { flow(slug: $s) { queue } }", Map.of("s", slug)).getString("flow.queue")));
        String run = Flows.start(slug, Map.of()).getString("id");

        JsonPath busy = execute("mutation($s: String!) { deleteFlow(slug: $s) { slug } }", Map.of("s", slug));
        assertEquals("CONFLICT", busy.getString("errors[0].extensions.code"), busy.prettify());

        ok("mutation($id: ID!) { cancelFlowRun(id: $id) { status } }", Map.of("id", run));
        assertEquals(slug, ok("mutation($s: String!) { deleteFlow(slug: $s) { slug } }", Map.of("s", slug)).getString("deleteFlow.slug"));
        JsonPath gone = execute("query($s: String) { flow(slug: $s) { slug } }", Map.of("s", slug));
        assertEquals("NOT_FOUND", gone.getString("errors[0].extensions.code"));
        JsonPath again = execute("mutation($s: String!) { deleteFlow(slug: $s) { slug } }", Map.of("s", slug));
        assertEquals("NOT_FOUND", again.getString("errors[0].extensions.code"));
        Number runs = Jdbc.value("SELECT count(*) FROM jobyard.flow_run WHERE flow_slug = ?", slug);
        assertEquals(0, runs.intValue(), "its finished runs went with it");
    }
}
