package dev.jobyard.engine;

import static dev.jobyard.testing.Jobs.awaitStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;

/** A failed attempt is retried after backoff until maxAttempts, then the job ends FAILED with every error kept. */
@QuarkusTest
class RetryWithBackoffTest {

    @Test
    void aJobThatAlwaysFailsEndsFailedAfterMaxAttempts() {
        String id = Jobs.create(Map.of("kind", "test-fail", "queue", Jobs.uniqueQueue(), "maxAttempts", 3,
                "payload", Map.of("message", "disk full")));

        var job = awaitStatus(id, "FAILED", Duration.ofSeconds(20));

        assertEquals(3, job.getInt("attempts"));
        assertEquals("disk full", job.getString("error"), "the message, without the exception's class");
        List<Map<String, Object>> errors = job.getList("errors");
        assertEquals(List.of(1, 2, 3), errors.stream().map(e -> e.get("attempt")).toList());
        // Backoff (test profile: base 100 ms, equal jitter) keeps failed attempts apart by at least half the base.
        OffsetDateTime first = OffsetDateTime.parse((String) errors.get(0).get("at"));
        OffsetDateTime second = OffsetDateTime.parse((String) errors.get(1).get("at"));
        assertTrue(Duration.between(first, second).toMillis() >= 50, "attempts 1 and 2 failed too close together");
    }

    @Test
    void aFlakyJobCompletesOnItsSecondAttempt() {
        String id = Jobs.create(Map.of("kind", "test-flaky", "queue", Jobs.uniqueQueue(), "maxAttempts", 3,
                "payload", Map.of("succeedOn", 2)));

        var job = awaitStatus(id, "COMPLETED");

        assertEquals(2, job.getInt("attempts"));
        assertEquals(2, job.getInt("result.attempt"));
        assertEquals(1, job.getList("errors").size(), "the failed first attempt stays on record");
    }

    @Test
    void maxAttemptsOfOneMeansNoRetry() {
        String id = Jobs.create(Map.of("kind", "test-fail", "queue", Jobs.uniqueQueue(), "maxAttempts", 1));
        assertEquals(1, awaitStatus(id, "FAILED").getInt("attempts"));
    }
}
