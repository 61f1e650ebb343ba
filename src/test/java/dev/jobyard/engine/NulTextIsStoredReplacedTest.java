package dev.jobyard.engine;

import static dev.jobyard.testing.GraphQLClient.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.Jobs;
import dev.jobyard.testing.TestHandlers;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Text holding U+0000, which PostgreSQL's text and jsonb cannot hold, is stored with each U+0000 replaced
 * by U+FFFD wherever a handler puts it: result (values and keys), error, attempt output, log line. The job
 * ends as it would have, and jobs after it on the same replica are not held up.
 */
@QuarkusTest
class NulTextIsStoredReplacedTest {

    private static final String STORED = "a\uFFFDb";

    @Test
    void aResultWithNulCompletesWithTheCharacterReplaced() {
        String queue = Jobs.uniqueQueue();
        String id = Jobs.create(Map.of("kind", "test-nul", "queue", queue));

        var job = Jobs.awaitStatus(id, "COMPLETED");

        assertEquals(Map.of("text", STORED, STORED, "as a key"), job.getMap("result"));
        assertEquals(List.of("line " + STORED), logMessages(id));
        assertEquals(STORED, Jdbc.value("SELECT data->>'data' FROM jobyard.job_log WHERE job_id = ?", Long.parseLong(id)));
        String next = Jobs.create(Map.of("kind", "noop", "queue", queue));
        Jobs.awaitStatus(next, "COMPLETED");
    }

    @Test
    void anErrorAndOutputWithNulAreStoredWithTheCharacterReplaced() {
        String id = Jobs.create(Map.of("kind", "test-nul", "queue", Jobs.uniqueQueue(), "maxAttempts", 2,
                "payload", Map.of("fail", true)));

        var job = Jobs.awaitStatus(id, "FAILED");

        assertEquals("error " + STORED, job.getString("error"));
        assertEquals(List.of("error " + STORED, "error " + STORED), job.getList("errors.error"));
        var outputs = ok("query($id: ID!) { job(id: $id) { attemptOutputs { error output } } }", Map.of("id", id));
        assertEquals(List.of(Map.of("error", "error " + STORED, "output", Map.of("printed", STORED)),
                Map.of("error", "error " + STORED, "output", Map.of("printed", STORED))), outputs.getList("job.attemptOutputs"));
    }

    @Test
    void theHandlerReallyProducedNul() {
        assertEquals(3, TestHandlers.Nul.TEXT.length());
        assertEquals('\0', TestHandlers.Nul.TEXT.charAt(1));
    }

    private static List<String> logMessages(String id) {
        return Jdbc.rows("SELECT message FROM jobyard.job_log WHERE job_id = ? ORDER BY id", Long.parseLong(id)).stream()
                .map(r -> (String) r.get("message")).toList();
    }
}
