package dev.jobyard.job;

import static dev.jobyard.testing.GraphQLClient.execute;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.GraphQLClient;
import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;

/** createJobs is all or nothing: one bad item, a cycle or an unknown ref creates nothing. */
@QuarkusTest
class BatchCreationTest {

    private static final String CREATE = "mutation($in: [JobInput!]!) { createJobs(inputs: $in) { id } }";

    @Test
    void aCycleRejectsTheWholeBatch() {
        String queue = Jobs.uniqueQueue();
        var result = execute(CREATE, Map.of("in", List.of(
                Map.of("kind", "noop", "queue", queue, "ref", "solo"),
                Map.of("kind", "noop", "queue", queue, "ref", "a", "dependsOnRefs", List.of("c")),
                Map.of("kind", "noop", "queue", queue, "ref", "b", "dependsOnRefs", List.of("a")),
                Map.of("kind", "noop", "queue", queue, "ref", "c", "dependsOnRefs", List.of("b")))));

        assertEquals("BAD_USER_INPUT", result.getString("errors[0].extensions.code"));
        assertTrue(result.getString("errors[0].message").contains("dependency cycle"), result.getString("errors[0].message"));
        assertNothingIn(queue);
    }

    @Test
    void anUnknownRefRejectsTheWholeBatch() {
        String queue = Jobs.uniqueQueue();
        var result = execute(CREATE, Map.of("in", List.of(
                Map.of("kind", "noop", "queue", queue, "ref", "a"),
                Map.of("kind", "noop", "queue", queue, "dependsOnRefs", List.of("nope")))));

        assertEquals("BAD_USER_INPUT", result.getString("errors[0].extensions.code"));
        assertTrue(result.getString("errors[0].message").startsWith("inputs[1].dependsOnRefs"));
        assertNothingIn(queue);
    }

    @Test
    void oneInvalidItemRejectsTheWholeBatch() {
        String queue = Jobs.uniqueQueue();
        var result = execute(CREATE, Map.of("in", List.of(
                Map.of("kind", "noop", "queue", queue),
                Map.of("kind", "noop", "queue", queue, "priority", 5000))));

        assertEquals("BAD_USER_INPUT", result.getString("errors[0].extensions.code"));
        assertTrue(result.getString("errors[0].message").startsWith("inputs[1].priority"));
        assertNothingIn(queue);
    }

    @Test
    void aValidBatchWithRefsIsCreatedInOrder() {
        String queue = Jobs.uniqueQueue();
        List<String> ids = Jobs.createAll(List.of(
                Map.of("kind", "noop", "queue", queue, "ref", "x"),
                Map.of("kind", "noop", "queue", queue, "dependsOnRefs", List.of("x"))));

        assertEquals(2, ids.size());
        assertEquals(List.of(ids.get(0)), Jobs.job(ids.get(1)).getList("dependencies"));
    }

    private static void assertNothingIn(String queue) {
        var active = GraphQLClient.ok("query($q: String) { jobs(queue: $q) { nodes { id } } }", Map.of("q", queue));
        assertEquals(List.of(), active.getList("jobs.nodes"));
        var queues = GraphQLClient.ok("{ queues { name } }").getList("queues.name");
        assertTrue(!queues.contains(queue), "the rejected batch left queue " + queue + " behind");
    }
}
