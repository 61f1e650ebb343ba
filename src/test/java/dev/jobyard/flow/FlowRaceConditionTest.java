package dev.jobyard.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Await;
import dev.jobyard.testing.FlowHandlers;
import dev.jobyard.testing.Flows;
import dev.jobyard.testing.Jdbc;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * pgflow's race-condition plan (PLAN_race_condition_testing.md), with real workers completing at once: when a type
 * violation fails a run, every job of the run, running or pending, ends with it (no orphan reappears, nothing
 * runs on), and results arriving after that change nothing. Tasks wait at gates that the test opens.
 */
@QuarkusTest
class FlowRaceConditionTest {

    private static Map<String, Object> gated(String slug, String type, List<String> deps, String gate, Object emit) {
        return emit == null ? Flows.step(slug, type, "test-flow-gated", deps, Map.of("gate", gate))
                : Flows.step(slug, type, "test-flow-gated", deps, Map.of("gate", gate, "emit", emit));
    }

    private static void awaitArrived(String gate, int n) {
        Await.until(Duration.ofSeconds(30), () -> FlowHandlers.Gated.arrived(gate), a -> a >= n, n + " tasks at gate " + gate);
    }

    private static long jobs(String runId, String step, String status) {
        Number n = Jdbc.value("SELECT count(*) FROM jobyard.job_history WHERE labels->>'flowRun' = ? AND labels->>'step' = ? "
                + "AND status = ?", runId, step, status);
        return n.longValue();
    }

    /** Scenario 2: started tasks of several steps are in flight when a sibling's output violates a map's type. */
    @Test
    void aViolationWithOtherTasksInFlightStopsEveryStartedTask() {
        String running = Flows.uniqueSlug("running");
        String trigger = Flows.uniqueSlug("trigger");
        FlowHandlers.Gated.close(running);
        FlowHandlers.Gated.close(trigger);
        String slug = Flows.create(Flows.uniqueSlug("inflight"), List.of(
                Flows.step("producer", "SINGLE", "test-flow-emit", List.of(), Map.of("emit", List.of(1, 2, 3))),
                gated("map_consumer", "MAP", List.of("producer"), running, null),
                gated("parallel_task1", "SINGLE", List.of("producer"), trigger, Map.of("not", "an array")),
                gated("parallel_task2", "SINGLE", List.of("producer"), running, 2),
                Flows.step("violated", "MAP", "test-flow-times10", List.of("parallel_task1"))));
        String id = Flows.start(slug, Map.of()).getString("id");
        awaitArrived(running, 4);
        awaitArrived(trigger, 1);

        FlowHandlers.Gated.open(trigger);

        JsonPath run = Flows.awaitStatus(id, "FAILED");
        assertEquals("step 'violated' maps over an array, but the output of step 'parallel_task1' is an object", run.getString("error"));
        Await.until(Duration.ofSeconds(20), () -> Flows.activeJobs(id), n -> n == 0, "every started task to stop");
        assertEquals(3, jobs(id, "map_consumer", "CANCELLED"));
        assertEquals(1, jobs(id, "parallel_task2", "CANCELLED"));
        assertEquals(Map.of("not", "an array"), Flows.run(id).getMap("steps.find { it.stepSlug == 'parallel_task1' }.output"),
                "the producer's output is kept");
        FlowHandlers.Gated.open(running);
    }

    /** Scenario 4: a map of 100 is partly running and mostly pending when the run fails. */
    @Test
    void aViolationWithAMapHalfStartedEndsItsRunningAndPendingTasks() {
        String map = Flows.uniqueSlug("map");
        String trigger = Flows.uniqueSlug("trigger");
        FlowHandlers.Gated.close(map);
        FlowHandlers.Gated.close(trigger);
        // bad's job is inserted first, so it runs before the map's jobs fill the queue's workers.
        String slug = Flows.create(Flows.uniqueSlug("partial"), List.of(
                gated("bad", "SINGLE", List.of(), trigger, "not an array"),
                gated("large_map", "MAP", List.of(), map, null),
                Flows.step("needs_array", "MAP", "test-flow-times10", List.of("bad"))));
        String id = Flows.start(slug, IntStream.range(0, 100).boxed().toList()).getString("id");
        awaitArrived(trigger, 1);
        awaitArrived(map, 5);
        Number pending = Jdbc.value("SELECT count(*) FROM jobyard.job WHERE labels->>'flowRun' = ? AND status = 'PENDING'", id);
        assertTrue(pending.intValue() > 50, "most of the map waits in the queue: " + pending);

        FlowHandlers.Gated.open(trigger);

        Flows.awaitStatus(id, "FAILED");
        Await.until(Duration.ofSeconds(20), () -> Flows.activeJobs(id), n -> n == 0, "no job of the run left");
        assertEquals(100, jobs(id, "large_map", "CANCELLED"), "all 100 tasks ended, started and queued");
        Number late = Jdbc.value("SELECT count(*) FROM jobyard.flow_task WHERE run_id = ?::bigint AND step_slug = 'large_map' "
                + "AND status <> 'CANCELLED'", id);
        assertEquals(0, late.intValue());
        FlowHandlers.Gated.open(map);
    }

    /** The chain case: a violation in the middle of a chain of maps, with another map in flight. */
    @Test
    void aViolationInTheMiddleOfAMapChainNeverStartsTheNextMap() {
        String other = Flows.uniqueSlug("other");
        FlowHandlers.Gated.close(other);
        String slug = Flows.create(Flows.uniqueSlug("chain"), List.of(
                Flows.step("map1", "MAP", "test-flow-times10", List.of()),
                Flows.step("middle", "SINGLE", "test-flow-emit", List.of("map1"), Map.of("emit", 7)),
                Flows.step("map2", "MAP", "test-flow-times10", List.of("middle")),
                Flows.step("map3", "MAP", "test-flow-times10", List.of("map2")),
                gated("in_flight", "MAP", List.of(), other, null)));
        String id = Flows.start(slug, List.of(1, 2, 3)).getString("id");

        JsonPath run = Flows.awaitStatus(id, "FAILED");

        assertEquals("step 'map2' maps over an array, but the output of step 'middle' is a number", run.getString("error"));
        assertEquals(List.of(10, 20, 30), run.getList("steps.find { it.stepSlug == 'map1' }.output"));
        assertEquals(List.of(), run.getList("steps.find { it.stepSlug == 'map3' }.tasks"));
        assertEquals("CANCELLED", run.getString("steps.find { it.stepSlug == 'map3' }.status"));
        Await.until(Duration.ofSeconds(20), () -> Flows.activeJobs(id), n -> n == 0, "the in-flight map to stop");
        FlowHandlers.Gated.open(other);
    }

    /**
     * Scenario 5, the lease (visibility timeout) recovery: a task whose worker lost its lease is failed by the
     * rescuer and retried as a new job; the old worker's late result is fenced off; the run completes with exactly
     * one output per index.
     */
    @Test
    void aTaskWhoseLeaseExpiredIsRetriedAndTheRunHasOneOutputPerIndex() {
        String gate = Flows.uniqueSlug("lease");
        FlowHandlers.Gated.close(gate);
        String slug = Flows.create(Flows.uniqueSlug("lease"), List.of(gated("m", "MAP", List.of(), gate, null)),
                Map.of("baseDelaySeconds", 0));
        String id = Flows.start(slug, List.of(1, 2, 3)).getString("id");
        awaitArrived(gate, 3);
        String stolen = Flows.run(id).getString("steps[0].tasks[1].jobId");

        // The worker of task 1 "dies": its lease runs out (as when it stops renewing); the leader's rescuer takes it.
        Jdbc.update("UPDATE jobyard.job SET lease_expires_at = now() - interval '1 second', worker = 'ghost' WHERE id = ?::bigint", stolen);
        Await.until(Duration.ofSeconds(20), () -> Flows.run(id).getInt("steps[0].tasks[1].attempts"), n -> n == 2,
                "task 1 retried as a new job");
        FlowHandlers.Gated.open(gate);

        JsonPath run = Flows.awaitStatus(id, "COMPLETED");
        assertEquals(List.of(1, 2, 3), run.getList("output.m"));
        assertEquals(List.of(1, 2, 1), run.getList("steps[0].tasks.attempts"));
        assertEquals("FAILED", dev.jobyard.testing.Jobs.status(stolen));
        assertEquals(0, Flows.activeJobs(id));
    }

    /** Scenario 7: results that arrive while and after the run fails are rejected by the run, not applied. */
    @Test
    void resultsArrivingAfterTheRunFailedChangeNothing() {
        String gate = Flows.uniqueSlug("late");
        FlowHandlers.Gated.close(gate);
        Map<String, Object> failing = Flows.step("fails", "SINGLE", "test-fail", List.of(), Map.of("message", "broken"));
        failing.put("maxAttempts", 1);
        String slug = Flows.create(Flows.uniqueSlug("late"), List.of(gated("slow", "MAP", List.of(), gate, null), failing,
                Flows.step("after_slow", "SINGLE", "test-flow-emit", List.of("slow"))));
        String id = Flows.start(slug, List.of(1, 2, 3, 4)).getString("id");

        JsonPath failed = Flows.awaitStatus(id, "FAILED");
        FlowHandlers.Gated.open(gate);
        Await.until(Duration.ofSeconds(20), () -> Flows.activeJobs(id), n -> n == 0, "the slow tasks to end");

        JsonPath after = Flows.run(id);
        assertEquals(failed.getString("error"), after.getString("error"));
        assertEquals("step 'fails' task 0 failed after 1 attempt(s): broken", after.getString("error"));
        assertEquals(List.of(), after.getList("steps.find { it.stepSlug == 'after_slow' }.tasks"));
        assertTrue(after.getList("steps.find { it.stepSlug == 'slow' }.tasks.output").stream().allMatch(o -> o == null),
                "no late output was recorded: " + after.prettify());
    }
}
