package dev.jobyard.job;

import static dev.jobyard.testing.GraphQLClient.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Await;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class CreateAndRunJobTest {

    @Test
    void anEchoJobRunsAndItsResultIsItsPayload() {
        var created = ok("mutation($p: JSON) { createJob(input: {kind: \"echo\", payload: $p}) { id status } }",
                Map.of("p", Map.of("hello", "world")));
        String id = created.getString("createJob.id");
        // RUNNING when an idle worker took it as it was created (StartOnCreateTest), else PENDING.
        assertTrue(List.of("PENDING", "RUNNING").contains(created.getString("createJob.status")));

        String status = Await.until(Duration.ofSeconds(10),
                () -> ok("query($id: ID!) { job(id: $id) { status } }", Map.of("id", id)).getString("job.status"),
                "COMPLETED"::equals, "job " + id + " to complete");

        var job = ok("query($id: ID!) { job(id: $id) { status attempts result durationMs worker } }", Map.of("id", id));
        assertEquals("COMPLETED", status);
        assertEquals(1, job.getInt("job.attempts"));
        assertEquals("world", job.getString("job.result.hello"));
    }
}
