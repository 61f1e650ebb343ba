package dev.jobyard.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.jobyard.maintenance.RetentionCleaner;
import dev.jobyard.testing.Jdbc;
import io.quarkus.test.junit.QuarkusTest;

/** Stored trace contexts go with the history they belong to. */
@QuarkusTest
class JobTraceRetentionTest {

    @Inject
    RetentionCleaner cleaner;

    @Test
    void theRetentionCleanerDeletesTraceContextsOlderThanTheRetention() {
        // Given one trace context stored 40 days ago and one stored now (for job ids no job uses)
        Jdbc.update("INSERT INTO jobyard.job_trace (job_id, traceparent, created_at) VALUES"
                + " (-1001, '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', now() - interval '40 days'),"
                + " (-1002, '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', now())");

        // When retention removes what is older than 30 days
        cleaner.removeOlderThan(Duration.ofDays(30));

        // Then only the recent one is left
        assertEquals(0L, Jdbc.<Number>value("SELECT count(*) FROM jobyard.job_trace WHERE job_id = -1001").longValue());
        assertEquals(1L, Jdbc.<Number>value("SELECT count(*) FROM jobyard.job_trace WHERE job_id = -1002").longValue());
        Jdbc.update("DELETE FROM jobyard.job_trace WHERE job_id = -1002");
    }
}
