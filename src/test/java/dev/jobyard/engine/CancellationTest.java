package dev.jobyard.engine;

import static dev.jobyard.testing.GraphQLClient.execute;
import static dev.jobyard.testing.GraphQLClient.ok;
import static dev.jobyard.testing.Jobs.awaitStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;

/** cancelJob: a pending job ends at once; a running one is interrupted and ends CANCELLED; a finished one cannot be. */
@QuarkusTest
class CancellationTest {

    private static final String CANCEL = "mutation($id: ID!, $r: String) { cancelJob(id: $id, reason: $r) { status error cancelRequested } }";

    @Test
    void aPendingJobIsCancelledAtOnce() {
        String queue = Jobs.uniqueQueue();
        Jobs.pause(queue);
        String id = Jobs.create(Map.of("kind", "noop", "queue", queue));

        var result = ok(CANCEL, Map.of("id", id, "r", "changed my mind"));

        assertEquals("CANCELLED", result.getString("cancelJob.status"));
        assertEquals("changed my mind", result.getString("cancelJob.error"));
        Jobs.resume(queue);
    }

    @Test
    void aRunningJobIsInterruptedAndEndsCancelled() {
        String id = Jobs.create(Map.of("kind", "sleep", "queue", Jobs.uniqueQueue(), "payload", Map.of("ms", 60_000)));
        awaitStatus(id, "RUNNING");

        var requested = ok(CANCEL, Map.of("id", id, "r", "operator stop"));
        var job = awaitStatus(id, "CANCELLED");

        assertTrue(requested.getBoolean("cancelJob.cancelRequested") || "CANCELLED".equals(requested.getString("cancelJob.status")));
        assertEquals("operator stop", job.getString("error"));
        assertTrue(job.getLong("durationMs") < 10_000, "the sleep was interrupted");
    }

    @Test
    void aHandlerThatPollsIsCancelledFinishesCancelled() {
        String id = Jobs.create(Map.of("kind", "test-busy", "queue", Jobs.uniqueQueue(), "payload", Map.of("ms", 60_000)));
        awaitStatus(id, "RUNNING");

        ok(CANCEL, Map.of("id", id, "r", "enough"));

        assertEquals("enough", awaitStatus(id, "CANCELLED").getString("error"));
    }

    @Test
    void aCompletedJobCannotBeCancelled() {
        String id = Jobs.create(Map.of("kind", "noop", "queue", Jobs.uniqueQueue()));
        awaitStatus(id, "COMPLETED");

        var result = execute(CANCEL, Map.of("id", id, "r", "too late"));

        assertEquals("CONFLICT", result.getString("errors[0].extensions.code"));
        assertEquals("COMPLETED", Jobs.status(id));
    }
}
