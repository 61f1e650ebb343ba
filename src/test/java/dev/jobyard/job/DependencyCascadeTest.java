package dev.jobyard.job;

import static dev.jobyard.testing.Jobs.awaitStatus;
import static dev.jobyard.testing.Jobs.createAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;

/** Invariant 4: a dependency that ends FAILED or CANCELLED cancels its dependents, transitively, naming the cause. */
@QuarkusTest
class DependencyCascadeTest {

    @Test
    void aFailureCancelsEveryJobDownstream() {
        String queue = Jobs.uniqueQueue();
        List<String> ids = createAll(List.of(
                Map.of("kind", "test-fail", "queue", queue, "maxAttempts", 1, "ref", "root"),
                Map.of("kind", "noop", "queue", queue, "ref", "child", "dependsOnRefs", List.of("root")),
                Map.of("kind", "noop", "queue", queue, "ref", "grandchild", "dependsOnRefs", List.of("child")),
                Map.of("kind", "noop", "queue", queue, "ref", "unrelated")));

        awaitStatus(ids.get(0), "FAILED");
        var child = awaitStatus(ids.get(1), "CANCELLED");
        var grandchild = awaitStatus(ids.get(2), "CANCELLED");
        awaitStatus(ids.get(3), "COMPLETED");

        assertEquals("dependency " + ids.get(0) + " ended FAILED", child.getString("error"));
        assertEquals("dependency " + ids.get(0) + " ended FAILED", grandchild.getString("error"));
        assertEquals(0, child.getInt("attempts"), "a cancelled dependent never ran");
    }

    @Test
    void cancellingAPendingJobCancelsItsDependents() {
        String queue = Jobs.uniqueQueue();
        Jobs.pause(queue);
        List<String> ids = createAll(List.of(
                Map.of("kind", "noop", "queue", queue, "ref", "a"),
                Map.of("kind", "noop", "queue", queue, "ref", "b", "dependsOnRefs", List.of("a"))));

        dev.jobyard.testing.GraphQLClient.ok("mutation($id: ID!) { cancelJob(id: $id, reason: \"not needed\") { status } }",
                Map.of("id", ids.get(0)));

        assertEquals("CANCELLED", Jobs.status(ids.get(0)));
        var dependent = Jobs.job(ids.get(1));
        assertEquals("CANCELLED", dependent.getString("status"));
        assertTrue(dependent.getString("error").contains(ids.get(0)));
    }
}
