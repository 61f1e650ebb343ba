package dev.jobyard.job;

import static dev.jobyard.testing.Jobs.awaitStatus;
import static dev.jobyard.testing.Jobs.createAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Invariant 3: a job with an unfinished dependency never starts; the last completion releases it. */
@QuarkusTest
class DependencyOrderTest {

    private static Map<String, Object> sleep(String queue, String ref, List<String> after) {
        return Map.of("kind", "sleep", "queue", queue, "payload", Map.of("ms", 50), "ref", ref, "dependsOnRefs", after);
    }

    @Test
    void aChainRunsStrictlyInOrder() {
        String queue = Jobs.uniqueQueue();
        List<String> ids = createAll(List.of(sleep(queue, "a", List.of()), sleep(queue, "b", List.of("a")),
                sleep(queue, "c", List.of("b")), sleep(queue, "d", List.of("c"))));

        List<JsonPath> done = ids.stream().map(id -> awaitStatus(id, "COMPLETED")).toList();

        for (int i = 1; i < done.size(); i++) {
            assertStartedAfterCompletion(done.get(i), done.get(i - 1));
        }
        assertEquals(List.of(ids.get(0)), done.get(1).getList("dependencies"));
    }

    @Test
    void aDiamondWaitsForBothBranches() {
        String queue = Jobs.uniqueQueue();
        List<String> ids = createAll(List.of(sleep(queue, "top", List.of()),
                Map.of("kind", "sleep", "queue", queue, "payload", Map.of("ms", 300), "ref", "slow", "dependsOnRefs", List.of("top")),
                sleep(queue, "fast", List.of("top")),
                sleep(queue, "bottom", List.of("slow", "fast"))));

        JsonPath top = awaitStatus(ids.get(0), "COMPLETED");
        JsonPath slow = awaitStatus(ids.get(1), "COMPLETED");
        JsonPath fast = awaitStatus(ids.get(2), "COMPLETED");
        JsonPath bottom = awaitStatus(ids.get(3), "COMPLETED");

        assertStartedAfterCompletion(slow, top);
        assertStartedAfterCompletion(fast, top);
        assertStartedAfterCompletion(bottom, slow);
        assertStartedAfterCompletion(bottom, fast);
    }

    @Test
    void aPendingJobShowsWhatBlocksIt() {
        String queue = Jobs.uniqueQueue();
        Jobs.pause(queue);
        List<String> ids = createAll(List.of(sleep(queue, "a", List.of()), sleep(queue, "b", List.of()),
                sleep(queue, "c", List.of("a", "b"))));

        JsonPath waiting = Jobs.job(ids.get(2));
        assertEquals("PENDING", waiting.getString("status"));
        assertEquals(List.of(ids.get(0), ids.get(1)), waiting.getList("blockedBy"));
        assertEquals(List.of(), readyJobs(queue), "nothing in a paused queue is ready to start");

        Jobs.resume(queue);
        awaitStatus(ids.get(2), "COMPLETED");
        assertTrue(Jobs.job(ids.get(2)).getList("blockedBy").isEmpty());
    }

    @Test
    void readyJobsAreThoseAWorkerWouldTakeNext() {
        // Queue "narrow" has one worker (test profile): while it is busy, runnable jobs wait ready.
        String busy = Jobs.create(Map.of("kind", "sleep", "queue", "narrow", "payload", Map.of("ms", 3000)));
        awaitStatus(busy, "RUNNING");
        List<String> ids = createAll(List.of(
                Map.of("kind", "noop", "queue", "narrow", "ref", "low"),
                Map.of("kind", "noop", "queue", "narrow", "ref", "high", "priority", 10),
                Map.of("kind", "noop", "queue", "narrow", "dependsOnRefs", List.of("low"))));

        assertEquals(List.of(ids.get(1), ids.get(0)), readyJobs("narrow"),
                "higher priority first; the job with an unfinished dependency is not ready");
        ids.forEach(id -> awaitStatus(id, "COMPLETED"));
    }

    private static List<String> readyJobs(String queue) {
        return dev.jobyard.testing.GraphQLClient.ok("query($q: String) { readyJobs(queue: $q) { id } }",
                Map.of("q", queue)).getList("readyJobs.id");
    }

    @Test
    void dependingOnAnArchivedCompletedJobIsSatisfiedAtOnce() {
        String queue = Jobs.uniqueQueue();
        String first = Jobs.create(Map.of("kind", "noop", "queue", queue));
        awaitStatus(first, "COMPLETED");

        String second = Jobs.create(Map.of("kind", "noop", "queue", queue, "dependencies", List.of(first)));

        assertFalse(Jobs.job(second).getList("blockedBy").size() > 0);
        awaitStatus(second, "COMPLETED");
    }

    private static void assertStartedAfterCompletion(JsonPath dependent, JsonPath dependency) {
        OffsetDateTime started = OffsetDateTime.parse(dependent.getString("startedAt"));
        OffsetDateTime completed = OffsetDateTime.parse(dependency.getString("completedAt"));
        assertFalse(started.isBefore(completed), "job " + dependent.getString("id") + " started at " + started
                + " before its dependency " + dependency.getString("id") + " completed at " + completed);
    }
}
