package dev.jobyard.durable;

import static dev.jobyard.testing.Jobs.awaitStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Durable;
import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;

/** Steps run until they succeed once and are never run again: not after a sleep, not after a failed attempt. */
@QuarkusTest
class DurableScriptStepsTest {

    @Test
    void stepsAroundASleepEachRunOnceAndTheSleepCountsNoAttempt() {
        String id = Durable.script(Jobs.uniqueQueue(), List.of(
                Map.of("op", "step", "key", "a", "value", Map.of("n", 1)),
                Map.of("op", "sleep", "key", "s", "ms", 500),
                Map.of("op", "step", "key", "b")));

        var job = awaitStatus(id, "COMPLETED");

        assertEquals(1, job.getInt("result.a.n"), "a's saved value");
        assertEquals("b", job.getString("result.b.step"), "b saved {step: key} without a value");
        assertEquals(1, Durable.logged(id, "step a ran"), "a ran before the sleep, and was replayed after it");
        assertEquals(1, Durable.logged(id, "step b ran"));
        assertEquals(1, job.getInt("attempts"), "the hang-up of the sleep is not an attempt");
        assertTrue(job.getList("errors").isEmpty());
    }

    @Test
    void aStepThatFailsUntilAttemptTwoLeavesTheEarlierStepsRunOnce() {
        String id = Durable.script(Jobs.uniqueQueue(), 3, List.of(
                Map.of("op", "step", "key", "a"),
                Map.of("op", "step", "key", "b", "failUntilAttempt", 2),
                Map.of("op", "step", "key", "c")));

        var job = awaitStatus(id, "COMPLETED");

        assertEquals(2, job.getInt("attempts"));
        assertEquals(1, Durable.logged(id, "step a ran"), "a was saved by attempt 1 and replayed by attempt 2");
        assertEquals(2, Durable.logged(id, "step b ran"), "b threw on attempt 1 and ran again on attempt 2");
        assertEquals(1, Durable.logged(id, "step c ran"));
        assertEquals("step b fails until attempt 2 (this is attempt 1)", job.getString("errors[0].error"));
    }

    @Test
    void aSleepingTaskIsPendingWithItsRunTimeAndHoldsNoWorker() {
        String queue = Jobs.uniqueQueue();
        String id = Durable.script(queue, List.of(Map.of("op", "sleep", "key", "s", "ms", 60_000)));

        dev.jobyard.testing.Await.until(Duration.ofSeconds(10), () -> Durable.waiting(id), w -> w, "job " + id + " to sleep");
        var job = Jobs.job(id);

        assertEquals("PENDING", job.getString("status"));
        assertEquals(null, job.getString("worker"), "no worker holds a sleeping task");
        Durable.cancel(id, "enough");
        awaitStatus(id, "CANCELLED");
    }

    @Test
    void aScriptThatBreaksTheFormatIsRefusedNamingTheField() {
        var answer = dev.jobyard.testing.GraphQLClient.execute("mutation($in: [JobInput!]!) { createJobs(inputs: $in) { id } }",
                Map.of("in", List.of(Map.of("kind", "durable_script", "queue", Jobs.uniqueQueue(), "payload", Map.of("ops",
                        List.of(Map.of("op", "step", "key", "a"), Map.of("op", "sleep", "key", "a", "ms", 5)))))));

        assertEquals("BAD_USER_INPUT", answer.getString("errors[0].extensions.code"));
        assertEquals("inputs[0].payload.ops[1].key: 'a' is used by an earlier op; keys are unique",
                answer.getString("errors[0].message"));
        var unknown = dev.jobyard.testing.GraphQLClient.execute("mutation($in: JobInput!) { createJob(input: $in) { id } }",
                Map.of("in", Map.of("kind", "durable_script", "payload", Map.of("ops",
                        List.of(Map.of("op", "invoke", "key", "c", "kind", "no-such-kind"))))));
        assertEquals("input.payload.ops[0].kind", unknown.getString("errors[0].message").split(":")[0]);
    }
}
