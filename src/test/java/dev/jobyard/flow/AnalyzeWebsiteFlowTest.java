package dev.jobyard.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Flows;
import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * pgflow's README example, end to end: website → (sentiment, summary) → saveToDb. Each step gets the run's
 * input under "run" and its direct dependencies' outputs under their slugs; the run's output holds the final
 * step's output.
 */
@QuarkusTest
class AnalyzeWebsiteFlowTest {

    @Test
    void eachStepReceivesTheRunInputAndItsDependenciesOutputs() {
        String slug = Flows.create(Flows.uniqueSlug("analyze_website"), List.of(
                Flows.step("website", "SINGLE", "test-flow-emit", List.of(),
                        Map.of("emit", Map.of("content", "HTML content", "status", 200))),
                Flows.step("sentiment", "SINGLE", "test-flow-emit", List.of("website"),
                        Map.of("emit", Map.of("score", 0.85, "label", "positive"))),
                Flows.step("summary", "SINGLE", "test-flow-emit", List.of("website"),
                        Map.of("emit", "This website discusses technology.")),
                // No "emit": outputs the whole payload it received, so the test sees its input.
                Flows.step("saveToDb", "SINGLE", "test-flow-emit", List.of("sentiment", "summary"))),
                Map.of("maxAttempts", 3, "baseDelaySeconds", 5, "timeoutSeconds", 10));

        JsonPath started = Flows.start(slug, Map.of("url", "https://example.com"));
        assertEquals("STARTED", started.getString("status"));
        assertEquals(4, started.getInt("remainingSteps"));
        assertEquals(List.of("STARTED", "CREATED", "CREATED", "CREATED"), started.getList("steps.status"));

        JsonPath run = Flows.awaitStatus(started.getString("id"), "COMPLETED");

        Map<String, Object> saveInput = run.getMap("output.saveToDb");
        assertEquals(Map.of("url", "https://example.com"), saveInput.get("run"));
        assertEquals(Map.of("score", 0.85f, "label", "positive"), saveInput.get("sentiment"));
        assertEquals("This website discusses technology.", saveInput.get("summary"));
        assertEquals(3, saveInput.size(), "only direct dependencies and the run: " + saveInput);
        assertEquals(0, run.getInt("remainingSteps"));
        assertEquals(List.of("COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED"), run.getList("steps.status"));

        // sentiment's job got {"run": input, "website": website's output} beside its static payload.
        String sentimentJob = run.getString("steps.find { it.stepSlug == 'sentiment' }.tasks[0].jobId");
        JsonPath job = Jobs.job(sentimentJob);
        assertEquals(Map.of("url", "https://example.com"), job.getMap("payload.run"));
        assertEquals(Map.of("content", "HTML content", "status", 200), job.getMap("payload.website"));
        assertEquals("COMPLETED", job.getString("status"));
    }
}
