package dev.jobyard.flow;

import static dev.jobyard.testing.GraphQLClient.execute;
import static dev.jobyard.testing.GraphQLClient.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Await;
import dev.jobyard.testing.FlowHandlers;
import dev.jobyard.testing.Flows;
import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Retries, failures, type violations and cancellation: a run completes or fails cleanly, nothing orphaned. */
@QuarkusTest
class FlowFailureTest {

    @Test
    void aTaskThatExhaustsItsAttemptsFailsItsStepAndTheRunAndDependentsAreNeverCreated() {
        String slug = Flows.create(Flows.uniqueSlug("exhaust"), List.of(
                Flows.step("a", "SINGLE", "test-fail", List.of(), Map.of("message", "no luck")),
                Flows.step("b", "SINGLE", "test-flow-emit", List.of("a"))),
                Map.of("maxAttempts", 2, "baseDelaySeconds", 0));

        JsonPath run = Flows.awaitStatus(Flows.start(slug, Map.of()).getString("id"), "FAILED");

        assertEquals("step 'a' task 0 failed after 2 attempt(s): no luck", run.getString("error"));
        assertEquals(List.of("FAILED", "CANCELLED"), run.getList("steps.status"));
        assertEquals(2, run.getInt("steps[0].tasks[0].attempts"));
        assertEquals(List.of(), run.getList("steps[1].tasks"), "b's task was never created");
        Number attempts = Jdbc.value("SELECT count(*) FROM jobyard.job_history WHERE labels->>'flowRun' = ? AND status = 'FAILED'",
                run.getString("id"));
        assertEquals(2, attempts.intValue(), "each attempt is one job");
        assertEquals(0, Flows.activeJobs(run.getString("id")));
    }

    @Test
    void aFailedTaskIsRetriedAsANewJobAndTheRunCompletes() {
        String slug = Flows.create(Flows.uniqueSlug("flaky"), List.of(
                Flows.step("a", "SINGLE", "test-flow-flaky", List.of(), Map.of("failures", 2))),
                Map.of("maxAttempts", 3, "baseDelaySeconds", 0));

        JsonPath run = Flows.awaitStatus(Flows.start(slug, Map.of()).getString("id"), "COMPLETED");

        assertEquals(Map.of("attempts", 3), run.getMap("output.a"));
        assertEquals(3, run.getInt("steps[0].tasks[0].attempts"));
        JsonPath last = Jobs.job(run.getString("steps[0].tasks[0].jobId"));
        assertTrue(last.getString("retryOf") != null, "the new job names the failed one");
    }

    @Test
    void theStepsBaseDelayOverridesTheFlowsAndStartDelayDelaysTheStepsJobs() {
        Map<String, Object> slowBackoff = Flows.step("a", "SINGLE", "test-flow-flaky", List.of(), Map.of("failures", 1));
        Map<String, Object> fastBackoff = Flows.step("b", "SINGLE", "test-flow-flaky", List.of(), Map.of("failures", 1));
        fastBackoff.put("baseDelaySeconds", 0);
        Map<String, Object> delayed = Flows.step("c", "SINGLE", "test-flow-emit", List.of());
        delayed.put("startDelaySeconds", 30);
        String slug = Flows.create(Flows.uniqueSlug("backoff"), List.of(slowBackoff, fastBackoff, delayed),
                Map.of("baseDelaySeconds", 60));
        String id = Flows.start(slug, Map.of()).getString("id");

        // b (base 0) retries at once and completes; a waits its flow's 60 s base: 30 to 60 s with jitter.
        Await.until(Duration.ofSeconds(20), () -> Flows.run(id).getString("steps[1].status"), "COMPLETED"::equals, "b completed");
        JsonPath run = Flows.run(id);
        assertEquals("STARTED", run.getString("steps[0].status"));
        Number wait = Jdbc.value("SELECT extract(epoch FROM run_at - created_at) FROM jobyard.job WHERE id = ?::bigint",
                run.getString("steps[0].tasks[0].jobId"));
        assertTrue(wait.doubleValue() >= 29 && wait.doubleValue() <= 61, "a's retry waits 30..60 s, got " + wait);
        Number delay = Jdbc.value("SELECT extract(epoch FROM run_at - created_at) FROM jobyard.job WHERE id = ?::bigint",
                run.getString("steps[2].tasks[0].jobId"));
        assertEquals(30, delay.intValue(), "c's job runs 30 s after the step started");

        ok("mutation($id: ID!) { cancelFlowRun(id: $id) { status } }", Map.of("id", id));
    }

    @Test
    void aMapStepWhoseInputIsNotAnArrayFailsItAndTheRunKeepingTheProducersOutput() {
        String slug = Flows.create(Flows.uniqueSlug("violation"), List.of(
                Flows.step("producer", "SINGLE", "test-flow-emit", List.of(), Map.of("emit", Map.of("not", "an array"))),
                Flows.step("m", "MAP", "test-flow-times10", List.of("producer")),
                Flows.step("after", "SINGLE", "test-flow-emit", List.of("m"))));

        JsonPath run = Flows.awaitStatus(Flows.start(slug, Map.of()).getString("id"), "FAILED");

        assertEquals("step 'm' maps over an array, but the output of step 'producer' is an object", run.getString("error"));
        assertEquals(List.of("COMPLETED", "FAILED", "CANCELLED"), run.getList("steps.status"));
        assertEquals(Map.of("not", "an array"), run.getMap("steps[0].output"));
        assertEquals(List.of(), run.getList("steps[1].tasks"));
        assertNull(run.get("output"));
    }

    @Test
    void cancelFlowRunCancelsPendingJobsAsksRunningOnesToStopAndIgnoresTheirLateResults() {
        String gate = Flows.uniqueSlug("gate");
        FlowHandlers.Gated.close(gate);
        Map<String, Object> waiting = Flows.step("waiting", "MAP", "test-flow-times10", List.of());
        waiting.put("startDelaySeconds", 600);
        String slug = Flows.create(Flows.uniqueSlug("cancel"), List.of(
                Flows.step("running", "SINGLE", "test-flow-gated", List.of(), Map.of("gate", gate, "emit", 1)), waiting));
        // The gated task runs; the map's 3 jobs wait behind their start delay.
        String id = Flows.start(slug, List.of(1, 2, 3)).getString("id");
        Await.until(Duration.ofSeconds(20), () -> FlowHandlers.Gated.arrived(gate), n -> n == 1, "the gated task to run");

        JsonPath cancelled = ok("mutation($id: ID!) { cancelFlowRun(id: $id, reason: \"enough\") { status error } }",
                Map.of("id", id)).setRootPath("data.cancelFlowRun");

        assertEquals("CANCELLED", cancelled.getString("status"));
        assertEquals("enough", cancelled.getString("error"));
        Await.until(Duration.ofSeconds(20), () -> Flows.activeJobs(id), n -> n == 0, "no job of the run left");
        JsonPath run = Flows.run(id);
        assertEquals(List.of("CANCELLED", "CANCELLED"), run.getList("steps.status"));
        assertTrue(run.getList("steps.tasks.flatten().status").stream().allMatch("CANCELLED"::equals), run.prettify());

        JsonPath again = execute("mutation($id: ID!) { cancelFlowRun(id: $id) { status } }", Map.of("id", id));
        assertEquals("CONFLICT", again.getString("errors[0].extensions.code"));
        FlowHandlers.Gated.open(gate);
        assertEquals("CANCELLED", Flows.status(id));
    }

    @Test
    void cancellingATasksJobDirectlyFailsItsStepAndTheRun() {
        String gate = Flows.uniqueSlug("direct");
        FlowHandlers.Gated.close(gate);
        String slug = Flows.create(Flows.uniqueSlug("direct"), List.of(
                Flows.step("a", "SINGLE", "test-flow-gated", List.of(), Map.of("gate", gate, "emit", 1)),
                Flows.step("b", "SINGLE", "test-flow-emit", List.of("a"))));
        String id = Flows.start(slug, Map.of()).getString("id");
        Await.until(Duration.ofSeconds(20), () -> FlowHandlers.Gated.arrived(gate), n -> n == 1, "a to run");
        String job = Flows.run(id).getString("steps[0].tasks[0].jobId");

        ok("mutation($id: ID!) { cancelJob(id: $id, reason: \"operator\") { id } }", Map.of("id", job));

        JsonPath run = Flows.awaitStatus(id, "FAILED");
        assertTrue(run.getString("error").startsWith("step 'a' task 0: its job " + job + " was cancelled"), run.getString("error"));
        assertEquals(List.of("FAILED", "CANCELLED"), run.getList("steps.status"));
        assertEquals(0, Flows.activeJobs(id));
        FlowHandlers.Gated.open(gate);
    }
}
