package dev.jobyard.engine;

import static dev.jobyard.testing.GraphQLClient.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;

/** A handler that fails with output (FailedWithOutput) leaves it with each attempt; retention removes it with the job. */
@QuarkusTest
class AttemptOutputTest {

    private static final String OUTPUTS = "query($id: ID!) { job(id: $id) { status error attemptOutputs { attempt status error output } } }";

    @Test
    void eachFailedAttemptKeepsItsOutputAndTheErrorItGave() {
        String id = Jobs.create(Map.of("kind", "test-fail-with-output", "queue", Jobs.uniqueQueue(), "maxAttempts", 2,
                "payload", Map.of("printed", "partial work")));

        Jobs.awaitStatus(id, "FAILED");
        var job = ok(OUTPUTS, Map.of("id", id));

        assertEquals("attempt 2 failed", job.getString("job.error"), "the message alone, without the exception's class");
        List<Map<String, Object>> outputs = job.getList("job.attemptOutputs");
        assertEquals(2, outputs.size());
        assertEquals(Map.of("attempt", 1, "status", "FAILED", "error", "attempt 1 failed",
                "output", Map.of("attempt", 1, "printed", "partial work")), outputs.get(0));
        assertEquals(2, ((Map<?, ?>) outputs.get(1).get("output")).get("attempt"));
    }

    @Test
    void aJobWithoutSuchOutputHasNone() {
        String id = Jobs.create(Map.of("kind", "test-fail", "queue", Jobs.uniqueQueue(), "maxAttempts", 1));

        Jobs.awaitStatus(id, "FAILED");

        assertEquals(List.of(), ok(OUTPUTS, Map.of("id", id)).getList("job.attemptOutputs"));
    }

    @Test
    void retentionDeletesTheOutputsWithTheHistoryEntry() {
        String id = Jobs.create(Map.of("kind", "test-fail-with-output", "queue", Jobs.uniqueQueue(), "maxAttempts", 1));
        Jobs.awaitStatus(id, "FAILED");
        assertEquals(1L, (Long) Jdbc.value("SELECT count(*) FROM jobyard.attempt_output WHERE job_id = ?", Long.parseLong(id)));

        ok("mutation { cleanupHistory(olderThanDays: 0) }");

        assertEquals(0L, (Long) Jdbc.value("SELECT count(*) FROM jobyard.attempt_output WHERE job_id = ?", Long.parseLong(id)));
    }
}
