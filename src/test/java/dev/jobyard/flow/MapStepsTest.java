package dev.jobyard.flow;

import static dev.jobyard.testing.GraphQLClient.execute;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Flows;
import dev.jobyard.testing.Jdbc;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** MAP steps: one task per element, output in index order, empty arrays completing at once and cascading. */
@QuarkusTest
class MapStepsTest {

    @Test
    void aRootMapOutputsItsTasksOutputsInIndexOrderWhateverOrderTheyFinishIn() {
        // Element i sleeps longer the lower i is, so later tasks finish first.
        String slug = Flows.create(Flows.uniqueSlug("rootmap"), List.of(
                Flows.step("double", "MAP", "test-flow-times10", List.of(), Map.of("msPer", 40)),
                Flows.step("slow", "MAP", "test-flow-times10", List.of("double"))));
        JsonPath started = Flows.start(slug, List.of(5, 4, 3, 2, 1));
        assertEquals(5, started.getInt("steps[0].initialTasks"));

        JsonPath run = Flows.awaitStatus(started.getString("id"), "COMPLETED");

        assertEquals(List.of(50, 40, 30, 20, 10), run.getList("steps[0].output"));
        assertEquals(List.of(500, 400, 300, 200, 100), run.getList("output.slow"));
        assertEquals(List.of(0, 1, 2, 3, 4), run.getList("steps[1].tasks.index"));
    }

    @Test
    void aDependentMapFansOutOverItsDependencysArrayAndFansBackIn() {
        String slug = Flows.create(Flows.uniqueSlug("depmap"), List.of(
                Flows.step("list", "SINGLE", "test-flow-emit", List.of(), Map.of("emit", List.of(1, 2, 3))),
                Flows.step("times", "MAP", "test-flow-times10", List.of("list")),
                Flows.step("sum", "SINGLE", "test-flow-emit", List.of("times"))));

        JsonPath run = Flows.awaitStatus(Flows.start(slug, "any input").getString("id"), "COMPLETED");

        assertEquals(List.of(10, 20, 30), run.getList("steps[1].output"));
        // sum got the map's array as its dependency's output, and the string input under "run".
        assertEquals(List.of(10, 20, 30), run.getList("output.sum.times"));
        assertEquals("any input", run.getString("output.sum.run"));
        assertEquals(3, run.getInt("steps[1].initialTasks"));
        // Task 1 received element 1 as its input.
        String job = run.getString("steps[1].tasks[1].jobId");
        assertEquals(Map.of("input", 2, "index", 1), dev.jobyard.testing.Jobs.job(job).getMap("payload"));
    }

    @Test
    void emptyArraysCompleteTheirMapsAtOnceAndARunOfOnlyThoseIsCompletedWhenStartFlowReturns() {
        String slug = Flows.create(Flows.uniqueSlug("empty"), List.of(
                Flows.step("a", "MAP", "test-flow-times10", List.of()),
                Flows.step("b", "MAP", "test-flow-times10", List.of("a")),
                Flows.step("c", "MAP", "test-flow-times10", List.of("b"))));

        JsonPath run = Flows.start(slug, List.of());

        assertEquals("COMPLETED", run.getString("status"));
        assertEquals(Map.of("c", List.of()), run.getMap("output"));
        assertEquals(List.of(0, 0, 0), run.getList("steps.initialTasks"));
        assertEquals(0, run.getList("steps.tasks.flatten()").size());
        Number jobs = Jdbc.value("SELECT count(*) FROM jobyard.job WHERE labels->>'flowRun' = ?", run.getString("id"));
        assertEquals(0, jobs.intValue());
    }

    @Test
    void anEmptyMapInTheMiddleCascadesToASingleStepThatGetsTheEmptyArray() {
        String slug = Flows.create(Flows.uniqueSlug("midempty"), List.of(
                Flows.step("list", "SINGLE", "test-flow-emit", List.of(), Map.of("emit", List.of())),
                Flows.step("m", "MAP", "test-flow-times10", List.of("list")),
                Flows.step("after", "SINGLE", "test-flow-emit", List.of("m"))));

        JsonPath run = Flows.awaitStatus(Flows.start(slug, Map.of()).getString("id"), "COMPLETED");

        assertEquals(List.of(), run.getList("output.after.m"));
        assertEquals("COMPLETED", run.getString("steps[1].status"));
    }

    @Test
    void aRootMapStartedWithANonArrayIsRefusedAndNoRunIsMade() {
        String slug = Flows.create(Flows.uniqueSlug("rootobj"), List.of(Flows.step("m", "MAP", "test-flow-times10", List.of())));

        JsonPath answer = execute("mutation($s: String!) { startFlow(slug: $s, input: {a: 1}) { id } }", Map.of("s", slug));

        assertEquals("BAD_USER_INPUT", answer.getString("errors[0].extensions.code"), answer.prettify());
        assertTrue(answer.getString("errors[0].message").startsWith("input: "), answer.getString("errors[0].message"));
        assertTrue(answer.getString("errors[0].message").contains("got object"), answer.getString("errors[0].message"));
        Number runs = Jdbc.value("SELECT count(*) FROM jobyard.flow_run WHERE flow_slug = ?", slug);
        assertEquals(0, runs.intValue());
    }

    @Test
    void aMapOfAThousandElementsCompletesWithOneOutputPerIndex() {
        String slug = Flows.create(Flows.uniqueSlug("thousand"), List.of(
                Flows.step("m", "MAP", "test-flow-times10", List.of())));
        List<Integer> input = IntStream.range(0, 1000).boxed().toList();

        JsonPath run = Flows.awaitStatus(Flows.start(slug, input).getString("id"), "COMPLETED", Duration.ofSeconds(120));

        List<Integer> expected = new ArrayList<>();
        input.forEach(i -> expected.add(i * 10));
        assertEquals(expected, run.getList("output.m"));
        Number tasks = Jdbc.value("SELECT count(DISTINCT task_index) FROM jobyard.flow_task WHERE run_id = ?::bigint AND status = 'COMPLETED'",
                run.getString("id"));
        assertEquals(1000, tasks.intValue());
    }

    @Test
    void theSameIdempotencyKeyStartsOneRun() {
        String slug = Flows.create(Flows.uniqueSlug("idem"), List.of(Flows.step("a", "SINGLE", "test-flow-emit", List.of())));
        String q = "mutation($s: String!) { startFlow(slug: $s, input: 1, idempotencyKey: \"k-1\") { id idempotencyKey } }";

        String first = dev.jobyard.testing.GraphQLClient.ok(q, Map.of("s", slug)).getString("startFlow.id");
        String second = dev.jobyard.testing.GraphQLClient.ok(q, Map.of("s", slug)).getString("startFlow.id");

        assertEquals(first, second);
        Number runs = Jdbc.value("SELECT count(*) FROM jobyard.flow_run WHERE flow_slug = ?", slug);
        assertEquals(1, runs.intValue());
    }
}
