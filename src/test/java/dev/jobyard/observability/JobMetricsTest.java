package dev.jobyard.observability;

import static dev.jobyard.testing.GraphQLClient.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.jobyard.database.Sql;
import dev.jobyard.engine.Outcome;
import dev.jobyard.engine.OutcomeWriter;
import dev.jobyard.maintenance.Rescuer;
import dev.jobyard.testing.Await;
import dev.jobyard.testing.Jobs;
import dev.jobyard.testing.Schedules;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Tuple;

/** /q/metrics after jobs went through the GraphQL API: every count on the replica where it happened. */
@QuarkusTest
class JobMetricsTest {

    @Inject
    Sql sql;
    @Inject
    Rescuer rescuer;
    @Inject
    OutcomeWriter writer;

    @AfterEach
    void deleteSchedules() {
        Schedules.deleteCreated();
    }

    private static Map<String, String> of(String queue, String kind) {
        return Map.of("queue", queue, "kind", kind);
    }

    /** Waits until the scrape shows {@code metric} at {@code expected}; fails with the last value seen. */
    private static void awaitValue(String metric, Map<String, String> labels, double expected) {
        double seen = Await.until(Duration.ofSeconds(10), () -> PrometheusText.scrape().valueOrZero(metric, labels),
                v -> v == expected, metric + labels + " to be " + expected);
        assertEquals(expected, seen, metric + labels);
    }

    @Test
    void jobsThatCompleteFailRetryAndAreCancelledAreCountedByQueueAndKind() {
        // Given a queue of its own, and jobs that complete, that fail after a retry, and one cancelled while pending
        String queue = Jobs.uniqueQueue();
        List<String> echoes = Jobs.createAll(List.of(Map.of("kind", "echo", "queue", queue), Map.of("kind", "echo", "queue", queue)));
        String failing = Jobs.create(Map.of("kind", "test-fail", "queue", queue, "maxAttempts", 2));
        String later = Jobs.create(Map.of("kind", "noop", "queue", queue, "runAt", "2099-01-01T00:00:00Z"));
        ok("mutation($id: ID!) { cancelJob(id: $id) { id } }", Map.of("id", later));

        // When they have run
        echoes.forEach(id -> Jobs.awaitStatus(id, "COMPLETED"));
        Jobs.awaitStatus(failing, "FAILED");

        // Then each transition is counted once, tagged by queue and kind
        awaitValue("jobyard_jobs_created_total", of(queue, "echo"), 2);
        awaitValue("jobyard_jobs_started_total", of(queue, "echo"), 2);
        awaitValue("jobyard_jobs_completed_total", of(queue, "echo"), 2);
        awaitValue("jobyard_jobs_created_total", of(queue, "test-fail"), 1);
        awaitValue("jobyard_jobs_started_total", of(queue, "test-fail"), 2);
        awaitValue("jobyard_jobs_retried_total", of(queue, "test-fail"), 1);
        awaitValue("jobyard_jobs_failed_total", of(queue, "test-fail"), 1);
        awaitValue("jobyard_jobs_created_total", of(queue, "noop"), 1);
        awaitValue("jobyard_jobs_cancelled_total", of(queue, "noop"), 1);
        PrometheusText metrics = PrometheusText.scrape();
        assertEquals(0, metrics.valueOrZero("jobyard_jobs_completed_total", of(queue, "test-fail")));
        assertEquals(0, metrics.valueOrZero("jobyard_jobs_started_total", of(queue, "noop")));
        // and every attempt's run time is in the histogram
        assertEquals(2, metrics.valueOrZero("jobyard_job_run_seconds_count", of(queue, "echo")));
        assertEquals(2, metrics.valueOrZero("jobyard_job_run_seconds_count", of(queue, "test-fail")));
        assertTrue(metrics.value("jobyard_job_run_seconds_bucket", Map.of("queue", queue, "kind", "echo", "le", "+Inf")).isPresent());
        // and each claim's size. The failing job's two attempts cannot share a claim; the rest may share the first
        // (a queue the replica does not serve yet is found with all three jobs waiting) or come one call each.
        double claims = metrics.valueOrZero("jobyard_claim_batch_size_count", Map.of("queue", queue));
        double claimed = metrics.valueOrZero("jobyard_claim_batch_size_sum", Map.of("queue", queue));
        assertEquals(4, claimed);
        assertTrue(claims >= 2 && claims <= 4, "claims: " + claims);
    }

    @Test
    void aJobWhoseWorkerVanishedIsCountedAsRescuedAndRetried() {
        // Given a job that a worker called "ghost" took, whose lease has run out
        String queue = Jobs.uniqueQueue();
        long id = Jobs.heldByGhost(queue, 3, "- interval '1 second'");

        // When the leader rescues it
        rescuer.rescue();

        // Then it is counted as rescued, and as retried, on this replica
        awaitValue("jobyard_jobs_rescued_total", of(queue, "noop"), 1);
        awaitValue("jobyard_jobs_retried_total", of(queue, "noop"), 1);
    }

    @Test
    void aJobHandedBackAtShutdownAndADependentCancelledByItsFailedDependencyAreCounted() {
        // Given a job that a worker called "ghost" runs, and a failing job with a dependent
        String queue = Jobs.uniqueQueue();
        long id = Jobs.heldByGhost(queue, 3, "+ interval '1 minute'");
        String other = Jobs.uniqueQueue();
        List<String> chain = Jobs.createAll(List.of(
                Map.of("ref", "a", "kind", "test-fail", "queue", other, "maxAttempts", 1),
                Map.of("ref", "b", "kind", "echo", "queue", other, "dependsOnRefs", List.of("a"))));

        // When the ghost hands its job back (as at shutdown), and the failing job fails
        sql.inTransaction(tx -> writer.write(tx, List.of(new Outcome.HandedBack(Jobs.ghostFence(id)))));
        Jobs.awaitStatus(chain.get(1), "CANCELLED");

        // Then the hand-back is counted, not as a retry, and the dependent as cancelled
        awaitValue("jobyard_jobs_handed_back_total", of(queue, "noop"), 1);
        assertEquals(0, PrometheusText.scrape().valueOrZero("jobyard_jobs_retried_total", of(queue, "noop")));
        awaitValue("jobyard_jobs_failed_total", of(other, "test-fail"), 1);
        awaitValue("jobyard_jobs_cancelled_total", of(other, "echo"), 1);
        assertEquals(0, PrometheusText.scrape().valueOrZero("jobyard_jobs_started_total", of(other, "echo")));
    }

    @Test
    void queueGaugesShowTheDepthAndTheAgeOfTheOldestReadyJob() {
        // Given a paused queue with three ready jobs and one for later
        String queue = Jobs.uniqueQueue();
        Jobs.pause(queue);
        Jobs.createAll(List.of(Map.of("kind", "noop", "queue", queue), Map.of("kind", "noop", "queue", queue),
                Map.of("kind", "noop", "queue", queue), Map.of("kind", "noop", "queue", queue, "runAt", "2099-01-01T00:00:00Z")));
        sql.query("UPDATE jobyard.job SET run_at = now() - interval '90 seconds' WHERE queue = $1 AND run_at < now()",
                Tuple.of(queue));

        // When Prometheus scrapes (after the gauges' cache, 100ms in tests)
        Map<String, String> labels = Map.of("queue", queue);
        awaitValue("jobyard_queue_depth", labels, 4);

        // Then ready excludes the delayed job, and the oldest ready job has waited 90 s or more
        PrometheusText metrics = PrometheusText.scrape();
        assertEquals(3, metrics.valueOrZero("jobyard_queue_ready", labels));
        assertEquals(0, metrics.valueOrZero("jobyard_queue_running", labels));
        double age = metrics.valueOrZero("jobyard_queue_oldest_ready_age_seconds", labels);
        assertTrue(age >= 90 && age < 200, "oldest ready age: " + age);
    }

    @Test
    void aScheduleRunByHandCountsAFireAndItsDelay() {
        // Given a manual schedule
        String id = Schedules.create(Map.of("schedule", "manual")).getString("id");
        String name = Schedules.get(id).getString("name");
        double delays = PrometheusText.scrape().valueOrZero("jobyard_schedule_fire_delay_seconds_count", Map.of());

        // When it is run twice by hand
        ok("mutation($id: ID!) { runSchedule(id: $id) { id } }", Map.of("id", id));
        ok("mutation($id: ID!) { runSchedule(id: $id) { id } }", Map.of("id", id));

        // Then two fires are counted for it, each with a fire delay
        awaitValue("jobyard_schedule_fires_total", Map.of("schedule", name), 2);
        assertTrue(PrometheusText.scrape().valueOrZero("jobyard_schedule_fire_delay_seconds_count", Map.of()) >= delays + 2);
    }

    @Test
    void aSlotSkippedBecauseMaxInstancesIsReachedIsCountedAsASkip() {
        // Given a schedule firing every second, at most one job at a time, on a paused queue
        String queue = Jobs.uniqueQueue();
        Jobs.pause(queue);
        String name = Schedules.create(Map.of("schedule", "@every 1 second", "maxInstances", 1, "queue", queue)).getString("name");

        // When the leader reaches the next slots while the first job still waits
        awaitValue("jobyard_schedule_fires_total", Map.of("schedule", name), 1);

        // Then they are counted as skips, and no more fires
        Await.until(Duration.ofSeconds(10), () -> PrometheusText.scrape().valueOrZero("jobyard_schedule_skips_total",
                Map.of("schedule", name)), v -> v >= 1, "a skip of " + name);
        assertEquals(1, PrometheusText.scrape().valueOrZero("jobyard_schedule_fires_total", Map.of("schedule", name)));
    }

    @Test
    void theLeaderReportsItselfAndItsTerms() {
        // Given the one replica of the tests, which becomes the leader
        // Then it says so, and counts the term it started
        awaitValue("jobyard_leader", Map.of(), 1);
        assertTrue(PrometheusText.scrape().valueOrZero("jobyard_leader_changes_total", Map.of()) >= 1);
    }
}
