package dev.jobyard.durable;

import static dev.jobyard.testing.GraphQLClient.ok;
import static dev.jobyard.testing.Jobs.awaitStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Await;
import dev.jobyard.testing.Durable;
import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;

/** invoke: a child's end wakes or fails its parent; a timed-out invoke cancels the child; cancel reaches children. */
@QuarkusTest
class DurableChildrenTest {

    private static String childOf(String parent) {
        return Await.until(Duration.ofSeconds(10), () -> ok("query($id: ID!) { job(id: $id) { children { id } } }",
                Map.of("id", parent)).<String>getList("job.children.id"), l -> !l.isEmpty(), "a child of " + parent).get(0);
    }

    @Test
    void aChildThatFailsFailsItsParentWithoutARetry() {
        String parent = Durable.script(Jobs.uniqueQueue(), 3, List.of(
                Map.of("op", "invoke", "key", "c", "kind", "test-fail", "maxAttempts", 1,
                        "payload", Map.of("message", "no stock"))));
        String child = childOf(parent);

        var job = awaitStatus(parent, "FAILED");

        assertEquals("child job " + child + " ended FAILED: no stock", job.getString("error"));
        assertEquals(0, job.getInt("attempts"), "the parent never ran again: its only attempt hung up");
        assertEquals(parent, ok("query($id: ID!) { job(id: $id) { parentJobId } }", Map.of("id", child))
                .getString("job.parentJobId"));
    }

    @Test
    void aCompletedChildWakesItsParentWithItsResult() {
        String parent = Durable.script(Jobs.uniqueQueue(), List.of(
                Map.of("op", "invoke", "key", "c", "kind", "echo", "payload", Map.of("price", 42))));

        var job = awaitStatus(parent, "COMPLETED");

        assertEquals(42, job.getInt("result.c.price"));
        var steps = ok("query($id: ID!) { job(id: $id) { steps { key type result } } }", Map.of("id", parent));
        assertEquals("invoke", steps.getString("job.steps[0].type"));
        assertEquals(42, steps.getInt("job.steps[0].result.price"));
    }

    @Test
    void anInvokeThatTimesOutCancelsItsChildAndThrowsTheTimeout() {
        String parent = Durable.script(Jobs.uniqueQueue(), 1, List.of(
                Map.of("op", "invoke", "key", "slow", "kind", "sleep", "payload", Map.of("ms", 60_000), "timeoutMs", 1000)));
        String child = childOf(parent);

        var job = awaitStatus(parent, "FAILED");

        assertEquals("'slow' timed out waiting for child job of kind sleep", job.getString("error"));
        var cancelled = awaitStatus(child, "CANCELLED");
        assertEquals("invoke 'slow' of job " + parent + " timed out", cancelled.getString("error"));
    }

    @Test
    void aTimeoutTheCodeCatchesLetsTheTaskGoOn() {
        String parent = Durable.script(Jobs.uniqueQueue(), List.of(
                Map.of("op", "waitForEvent", "key", "w", "event", "never-" + Jobs.uniqueQueue(), "timeoutMs", 500,
                        "catchTimeout", true),
                Map.of("op", "step", "key", "after")));

        var job = awaitStatus(parent, "COMPLETED");

        assertTrue(job.getBoolean("result.w.timedOut"));
        assertEquals("after", job.getString("result.after.step"));
    }

    @Test
    void cancellingAWaitingParentCancelsItsRunningChildAndItsWait() {
        String parent = Durable.script(Jobs.uniqueQueue(), List.of(
                Map.of("op", "invoke", "key", "c", "kind", "sleep", "payload", Map.of("ms", 60_000))));
        String child = childOf(parent);
        awaitStatus(child, "RUNNING");
        var waiting = ok("query($id: ID!) { job(id: $id) { status waitingFor { type key childJobId until } } }",
                Map.of("id", parent));
        assertEquals("WAITING", waiting.getString("job.status"));
        assertEquals("invoke", waiting.getString("job.waitingFor.type"));
        assertEquals(child, waiting.getString("job.waitingFor.childJobId"));

        Durable.cancel(parent, "order withdrawn");

        assertEquals("order withdrawn", awaitStatus(parent, "CANCELLED").getString("error"));
        assertEquals("parent job " + parent + " ended CANCELLED", awaitStatus(child, "CANCELLED").getString("error"));
        assertFalse(Durable.waiting(parent), "the wait went with the job");
    }

    @Test
    void cancellingASleepingTaskEndsItAtOnce() {
        String id = Durable.script(Jobs.uniqueQueue(), List.of(Map.of("op", "sleep", "key", "s", "ms", 600_000)));
        Await.until(Duration.ofSeconds(10), () -> Durable.waiting(id), w -> w, "job " + id + " to sleep");
        assertEquals("sleep", ok("query($id: ID!) { job(id: $id) { waitingFor { type } } }", Map.of("id", id))
                .getString("job.waitingFor.type"));

        Durable.cancel(id, "not needed");

        assertEquals("not needed", awaitStatus(id, "CANCELLED").getString("error"));
        assertFalse(Durable.waiting(id));
    }
}
