package dev.jobyard.job;

import static dev.jobyard.testing.GraphQLClient.execute;
import static dev.jobyard.testing.GraphQLClient.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;

/** Finished jobs are archived with duration and worker; history pages, retries and is cleaned up. */
@QuarkusTest
class HistoryTest {

    private static final String HISTORY = """
            query($kind: String, $status: JobStatus, $since: DateTime, $after: String) {
              jobHistory(kind: $kind, status: $status, since: $since, first: 2, after: $after) {
                nodes { id status durationMs worker completedAt } endCursor hasNextPage } }""";

    @Test
    void historyPagesThroughFinishedJobsNewestFirst() {
        OffsetDateTime since = OffsetDateTime.now().minusSeconds(5);
        String queue = Jobs.uniqueQueue();
        List<String> ids = Jobs.createAll(List.of(Map.of("kind", "log", "queue", queue, "payload", Map.of("message", "a")),
                Map.of("kind", "log", "queue", queue, "payload", Map.of("message", "b")),
                Map.of("kind", "log", "queue", queue, "payload", Map.of("message", "c"))));
        ids.forEach(id -> Jobs.awaitStatus(id, "COMPLETED"));

        List<String> seen = new ArrayList<>();
        String after = null;
        boolean more = true;
        while (more) {
            Map<String, Object> vars = new HashMap<>(Map.of("kind", "log", "status", "COMPLETED", "since", since.toString()));
            if (after != null) {
                vars.put("after", after);
            }
            var page = ok(HISTORY, vars);
            List<Map<String, Object>> nodes = page.getList("jobHistory.nodes");
            assertTrue(nodes.size() <= 2);
            nodes.forEach(n -> {
                seen.add((String) n.get("id"));
                assertNotNull(n.get("durationMs"));
                assertNotNull(n.get("worker"));
            });
            more = page.getBoolean("jobHistory.hasNextPage");
            after = page.getString("jobHistory.endCursor");
        }
        assertTrue(seen.containsAll(ids), "history " + seen + " should hold " + ids);
        assertEquals(seen.size(), seen.stream().distinct().count(), "no entry twice across pages");
    }

    @Test
    void aFailedJobIsRetriedAsANewLinkedJob() {
        String failed = Jobs.create(Map.of("kind", "test-flaky", "queue", Jobs.uniqueQueue(), "maxAttempts", 1,
                "payload", Map.of("succeedOn", 2)));
        Jobs.awaitStatus(failed, "FAILED");

        String again = ok("mutation($id: ID!) { retryJob(id: $id) { id retryOf status } }", Map.of("id", failed))
                .getString("retryJob.id");

        var job = Jobs.job(again);
        assertEquals(failed, job.getString("retryOf"));
        // Its own first attempt fails too (the flaky handler succeeds on attempt 2 only): same spec, new job.
        Jobs.awaitStatus(again, "FAILED");
    }

    @Test
    void onlyFailedOrCancelledJobsCanBeRetried() {
        String done = Jobs.create(Map.of("kind", "noop", "queue", Jobs.uniqueQueue()));
        Jobs.awaitStatus(done, "COMPLETED");

        var result = execute("mutation($id: ID!) { retryJob(id: $id) { id } }", Map.of("id", done));

        assertEquals("CONFLICT", result.getString("errors[0].extensions.code"));
    }

    @Test
    void activeStatusesAreNotHistory() {
        var result = execute("{ jobHistory(status: PENDING) { nodes { id } } }");
        assertEquals("BAD_USER_INPUT", result.getString("errors[0].extensions.code"));
    }

    @Test
    void cleanupRemovesOnlyOldEnoughEntriesOfItsQueue() {
        // Scoped to queues of this test's own: other tests' history is left alone, and every count is exact.
        String queue = Jobs.uniqueQueue();
        String other = Jobs.uniqueQueue();
        List<String> mine = Jobs.createAll(List.of(Map.of("kind", "log", "queue", queue, "payload", Map.of("message", "a")),
                Map.of("kind", "noop", "queue", queue)));
        String neighbour = Jobs.create(Map.of("kind", "noop", "queue", other));
        mine.forEach(id -> Jobs.awaitStatus(id, "COMPLETED"));
        Jobs.awaitStatus(neighbour, "COMPLETED");
        long logLines = Jdbc.<Long>value("SELECT count(*) FROM jobyard.job_log WHERE job_id = ?", Long.parseLong(mine.get(0)));
        assertTrue(logLines > 0, "the log job wrote a line");

        String cleanup = "mutation($d: Int, $q: String) { cleanupHistory(olderThanDays: $d, queue: $q) }";
        assertEquals(0, ok(cleanup, Map.of("d", 30, "q", queue)).getInt("cleanupHistory"), "nothing of it is 30 days old");
        mine.forEach(id -> assertEquals("COMPLETED", Jobs.status(id)));

        assertEquals(2, ok(cleanup, Map.of("d", 0, "q", queue)).getInt("cleanupHistory"));
        for (String id : mine) {
            assertEquals("NOT_FOUND", execute("query($id: ID!) { job(id: $id) { id } }", Map.of("id", id))
                    .getString("errors[0].extensions.code"), "job " + id);
        }
        assertEquals(0L, Jdbc.<Long>value("SELECT count(*) FROM jobyard.job_log WHERE job_id = ?", Long.parseLong(mine.get(0))),
                "its log went with it");
        assertEquals("COMPLETED", Jobs.status(neighbour), "another queue's entry of the same age stays");
    }

    @Test
    void cleanupOfAMalformedQueueNameIsRefused() {
        var result = execute("mutation { cleanupHistory(olderThanDays: 0, queue: \"no spaces\") }");
        assertEquals("BAD_USER_INPUT", result.getString("errors[0].extensions.code"));
    }
}
