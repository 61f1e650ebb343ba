package dev.jobyard.engine;

import static dev.jobyard.testing.Jobs.awaitStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;

/** A job running longer than timeoutSeconds is interrupted and the attempt counts as failed. */
@QuarkusTest
class TimeoutTest {

    @Test
    void aSleepPastItsTimeoutFails() {
        String id = Jobs.create(Map.of("kind", "sleep", "queue", Jobs.uniqueQueue(), "payload", Map.of("ms", 30_000),
                "timeoutSeconds", 1, "maxAttempts", 1));

        var job = awaitStatus(id, "FAILED");

        assertEquals("timed out after 1s", job.getString("error"));
        assertTrue(job.getLong("durationMs") < 5_000, "the handler was interrupted, not waited for: " + job.getLong("durationMs"));
    }

    @Test
    void aTimedOutAttemptIsRetriedLikeAnyFailure() {
        String id = Jobs.create(Map.of("kind", "test-busy", "queue", Jobs.uniqueQueue(), "payload", Map.of("ms", 30_000),
                "timeoutSeconds", 1, "maxAttempts", 2));

        var job = awaitStatus(id, "FAILED", java.time.Duration.ofSeconds(20));

        assertEquals(2, job.getInt("attempts"));
        assertEquals(2, job.getList("errors").size());
    }
}
