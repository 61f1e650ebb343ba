package dev.jobyard.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.jobyard.database.Sql;
import dev.jobyard.flow.run.FlowJobOwner;
import dev.jobyard.job.ClaimedJob;
import dev.jobyard.job.JobOwners;
import dev.jobyard.job.JobStore;
import dev.jobyard.job.NewJob;
import dev.jobyard.testing.Flows;
import dev.jobyard.testing.GraphQLClient;
import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;

/**
 * How a dependent step gets going once its dependency's last task ends. With the fallback poll and the discovery of
 * missed queues an hour apart, anything that waited for either would take an hour: here every step must start from
 * the notification of its jobs' insert, committed with the dependency's end. And a task's success must be written
 * ahead of results nobody waits for, like a job with dependents: under load its step's dependents otherwise wait
 * for a batch of up to jobyard.worker.complete-batch-size unrelated results to be written first.
 */
@QuarkusTest
@TestProfile(FlowStepLatencyTest.NoPolling.class)
class FlowStepLatencyTest {

    public static class NoPolling implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("jobyard.worker.poll-interval", "1h", "jobyard.worker.queue-discovery-interval", "1h");
        }
    }

    @Inject
    JobStore jobs;
    @Inject
    Sql sql;
    @Inject
    JobOwners owners;

    @Test
    void aChainOfEightStepsRunsStepAfterStepWithoutWaitingForAPoll() {
        List<Map<String, Object>> steps = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            steps.add(Flows.step("s" + i, "SINGLE", "test-flow-emit", i == 0 ? List.of() : List.of("s" + (i - 1)),
                    Map.of("emit", i)));
        }
        String slug = Flows.create(Flows.uniqueSlug("chain"), steps);

        // Far below the poll interval: one step left to a poll would take an hour.
        JsonPath run = Flows.awaitStatus(Flows.start(slug, Map.of()).getString("id"), "COMPLETED", Duration.ofSeconds(60));

        assertEquals(Map.of("s7", 7), run.getMap("output"));
        Number started = Jdbc.value("SELECT count(*) FROM jobyard.job_history WHERE labels->>'flowRun' = ? AND attempt = 1"
                + " AND status = 'COMPLETED'", run.getString("id"));
        assertEquals(8, started.intValue());
    }

    @Test
    void aJobThatAWorkflowOwnsIsClaimedAsOneWhoseSuccessIsWrittenAhead() {
        // Paused, so that this replica's workers leave the jobs alone; then resumed behind their back (no
        // notification; their poll is an hour away), so that the claim below is the only one.
        String queue = Jobs.uniqueQueue();
        Jobs.pause(queue);
        List<Long> ids = jobs.insert(sql, null, List.of(job(queue, FlowJobOwner.NAME), job(queue, null)),
                List.of(List.of(), List.of())).stream().map(dev.jobyard.job.Job::id).toList();
        try {
            Jdbc.update("UPDATE jobyard.queue SET paused = false WHERE name = ?", queue);

            List<ClaimedJob> claimed = jobs.claim(queue, 2, "flow-step-latency-test", 60_000);

            assertEquals(ids, claimed.stream().map(ClaimedJob::id).sorted().toList());
            for (ClaimedJob job : claimed) {
                boolean owned = job.id() == ids.get(0);
                assertEquals(owned, job.hasDependents(), owned ? "the owned job is written ahead" : "a plain job is not");
            }
        } finally {
            // cleanup only: what the test shows is asserted above
            Jdbc.update("DELETE FROM jobyard.job WHERE id = ANY(?)", ids);
        }
    }

    @Test
    void theTasksOfOneRunGoToOneResultWriterAndPlainJobsToTheFirst() {
        // Given a run of a flow whose root map has four tasks, in a paused queue, and a plain job there labelled like
        // a task by its user
        String queue = Jobs.uniqueQueue();
        Jobs.pause(queue);
        String slug = Flows.create(Flows.uniqueSlug("writer"), List.of(Flows.step("m", "MAP", "test-flow-emit", List.of())),
                Map.of("queue", queue));
        long run = Long.parseLong(Flows.start(slug, List.of(1, 2, 3, 4)).getString("id"));
        long plain = jobs.insert(sql, null, List.of(labelled(queue, new JsonObject().put("flowRun", "not a run"))),
                List.of(List.of())).get(0).id();
        Jdbc.update("UPDATE jobyard.queue SET paused = false WHERE name = ?", queue);

        // When this test claims them (the replica's workers heard of nothing: the poll is an hour away)
        List<ClaimedJob> claimed = jobs.claim(queue, 10, "flow-step-latency-test", 60_000);

        try {
            // Then each task's results go to the writer of its run's id, and the plain job's to the first writer
            assertEquals(5, claimed.size());
            for (ClaimedJob job : claimed) {
                assertEquals(job.id() == plain ? null : run, owners.writerKey(job), "writer key of job " + job.id());
            }
        } finally {
            // cleanup only: the claims' fake worker never answers, so the run is cancelled and the job removed
            GraphQLClient.ok("mutation($id: ID!) { cancelFlowRun(id: $id) { status } }", Map.of("id", String.valueOf(run)));
            Jdbc.update("DELETE FROM jobyard.job WHERE id = ?", plain);
        }
    }

    private static NewJob labelled(String queue, JsonObject labels) {
        return new NewJob(queue, "noop", null, null, new JsonObject(), labels, 0, null, 0, 1, null, null,
                List.of(), null, null, false, null);
    }

    private static NewJob job(String queue, String owner) {
        return new NewJob(queue, "noop", null, null, new JsonObject(), new JsonObject(), 0, null, 0, 1, null, null,
                List.of(), null, null, false, owner);
    }
}
