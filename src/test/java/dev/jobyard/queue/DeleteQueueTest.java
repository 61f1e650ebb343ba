package dev.jobyard.queue;

import static dev.jobyard.testing.GraphQLClient.execute;
import static dev.jobyard.testing.GraphQLClient.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** deleteQueue removes a queue that has no jobs, and refuses one that has, a configured one and an unknown name. */
@QuarkusTest
class DeleteQueueTest {

    private static final String DELETE = "mutation($q: String!) { deleteQueue(name: $q) { name paused pending } }";

    private static List<String> listed() {
        return ok("{ queues { name } }").getList("queues.name");
    }

    @Test
    void aPausedQueueWithoutJobsIsDeletedAndNoLongerListed() {
        // Given a paused queue that never had a job,
        String name = Jobs.uniqueQueue();
        Jobs.pause(name);
        assertTrue(listed().contains(name));

        // when it is deleted,
        JsonPath deleted = ok(DELETE, Map.of("q", name));

        // then the answer is the queue as it was left, and the name is gone.
        assertEquals(name, deleted.getString("deleteQueue.name"));
        assertFalse(deleted.getBoolean("deleteQueue.paused"));
        assertFalse(listed().contains(name));
        assertEquals("NOT_FOUND", execute(DELETE, Map.of("q", name)).getString("errors[0].extensions.code"),
                "a second delete finds nothing");
    }

    @Test
    void aQueueWithAPendingJobIsRefusedAndKeepsItsPause() {
        // Given a paused queue holding a pending job,
        String name = Jobs.uniqueQueue();
        Jobs.pause(name);
        String id = Jobs.create(Map.of("kind", "noop", "queue", name));

        // when it is deleted, then the answer is CONFLICT naming the field, and nothing changed.
        JsonPath refused = execute(DELETE, Map.of("q", name));
        assertEquals("CONFLICT", refused.getString("errors[0].extensions.code"));
        assertTrue(refused.getString("errors[0].message").contains("name"), refused.getString("errors[0].message"));
        assertEquals("PENDING", Jobs.status(id));
        assertEquals(true, ok("{ queues { name paused } }")
                .getList("queues", Map.class).stream().filter(q -> name.equals(q.get("name"))).findFirst()
                .orElseThrow().get("paused"));
        Jobs.resume(name);
        Jobs.awaitStatus(id, "COMPLETED");
    }

    @Test
    void anUnknownNameIsNotFoundAndAConfiguredQueueIsAConflict() {
        assertEquals("NOT_FOUND", execute(DELETE, Map.of("q", Jobs.uniqueQueue())).getString("errors[0].extensions.code"));
        assertEquals("CONFLICT", execute(DELETE, Map.of("q", "default")).getString("errors[0].extensions.code"));
        assertEquals("BAD_USER_INPUT", execute(DELETE, Map.of("q", "no spaces")).getString("errors[0].extensions.code"));
    }
}
