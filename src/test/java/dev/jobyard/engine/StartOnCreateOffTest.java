package dev.jobyard.engine;

import static dev.jobyard.testing.GraphQLClient.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** With jobyard.worker.start-on-create=false every new job waits for a claim, even with idle workers. */
@QuarkusTest
@TestProfile(StartOnCreateOffTest.Off.class)
class StartOnCreateOffTest {

    public static class Off implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("jobyard.worker.start-on-create", "false");
        }
    }

    @Test
    void aJobForAnIdleQueueIsCreatedPendingAndThenClaimed() {
        String queue = Jobs.uniqueQueue();
        Jobs.awaitStatus(Jobs.create(Map.of("kind", "noop", "queue", queue)), "COMPLETED");

        String status = ok("mutation($in: JobInput!) { createJob(input: $in) { status } }",
                Map.of("in", Map.of("kind", "noop", "queue", queue))).getString("createJob.status");

        assertEquals("PENDING", status);
        String id = Jobs.create(Map.of("kind", "noop", "queue", queue));
        Jobs.awaitStatus(id, "COMPLETED");
    }
}
