package dev.jobyard.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.jobyard.database.Sql;
import dev.jobyard.testing.Await;
import dev.jobyard.testing.GraphQLClient;
import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.Jobs;
import io.vertx.core.json.JsonObject;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A workflow hears of the end of each job it owns exactly once, in the transaction that archived the job:
 * completed, failed or cancelled, whichever path ended it. If the workflow's reaction fails, the job's end
 * is rolled back with it and written again, and the workflow hears of it once, when it commits.
 */
@QuarkusTest
class JobOwnerTest {

    /** Records the ends it is told of, as they commit; throws once for the jobs in {@code failOnce}. */
    @ApplicationScoped
    public static class RecordingOwner implements JobOwner {
        static final String NAME = "test-recorder";
        final Map<Long, List<String>> heard = new ConcurrentHashMap<>();
        final Set<Long> failOnce = ConcurrentHashMap.newKeySet();
        final List<Long> failedFor = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return NAME;
        }

        // Methods, not fields: the test holds a client proxy, whose fields are not the bean's.
        List<String> heard(long id) {
            return heard.get(id);
        }

        void failOnce(long id) {
            failOnce.add(id);
        }

        boolean willFail(long id) {
            return failOnce.contains(id);
        }

        List<Long> failedFor() {
            return List.copyOf(failedFor);
        }

        @Override
        public List<JobChange> ended(Sql.Tx tx, List<JobChange> ended) {
            for (JobChange change : ended) {
                if (failOnce.remove(change.id())) {
                    failedFor.add(change.id());
                    throw new IllegalStateException("the workflow's reaction to job " + change.id() + " failed");
                }
                // Read in the same transaction: the end is already archived when the owner hears of it.
                String archived = tx.query("SELECT status FROM jobyard.job_history WHERE id = $1",
                        io.vertx.mutiny.sqlclient.Tuple.of(change.id())).iterator().next().getString("status");
                tx.afterCommit(() -> heard.computeIfAbsent(change.id(), k -> new CopyOnWriteArrayList<>())
                        .add(change.status() + "/" + archived));
            }
            return List.of();
        }
    }

    @Inject
    Sql sql;
    @Inject
    JobStore store;
    @Inject
    RecordingOwner owner;

    private long owned(String queue, String kind, JsonObject payload, long delaySeconds, int maxAttempts) {
        NewJob job = new NewJob(queue, kind, null, null, payload, new JsonObject(), 0, null, delaySeconds, maxAttempts,
                null, null, List.of(), null, null, false).ownedBy(RecordingOwner.NAME);
        return sql.inTransaction(tx -> store.insert(tx, null, List.of(job), List.of(List.of()))).get(0).id();
    }

    private List<String> heardOnce(long id) {
        return Await.until(Duration.ofSeconds(10), () -> owner.heard(id), h -> h != null, "the owner to hear of job " + id);
    }

    @Test
    void aCompletedOwnedJobIsReportedOnceAndAnOrdinaryJobNever() {
        String queue = Jobs.uniqueQueue();
        long ownedId = owned(queue, "echo", new JsonObject().put("n", 1), 0, 1);
        String ordinary = Jobs.create(Map.of("kind", "noop", "queue", queue));

        assertEquals(List.of("COMPLETED/COMPLETED"), heardOnce(ownedId));
        Jobs.awaitStatus(ordinary, "COMPLETED");
        assertNull(owner.heard(Long.parseLong(ordinary)));
        assertEquals("test-recorder", Jdbc.value("SELECT owner FROM jobyard.job_history WHERE id = ?", ownedId));
        assertNull(Jdbc.value("SELECT owner FROM jobyard.job_history WHERE id = ?", Long.parseLong(ordinary)));
    }

    @Test
    void aFailedOwnedJobIsReportedWhenItsAttemptsAreSpent() {
        long id = owned(Jobs.uniqueQueue(), "test-fail", new JsonObject().put("message", "no"), 0, 2);

        assertEquals(List.of("FAILED/FAILED"), heardOnce(id));
        assertEquals(2, (int) Jdbc.<Integer>value("SELECT attempt FROM jobyard.job_history WHERE id = ?", id));
    }

    @Test
    void aPendingOwnedJobCancelledThroughTheApiIsReported() {
        long id = owned(Jobs.uniqueQueue(), "noop", new JsonObject(), 3600, 1);

        GraphQLClient.ok("mutation($id: ID!) { cancelJob(id: $id, reason: \"not needed\") { status } }",
                Map.of("id", String.valueOf(id)));

        assertEquals(List.of("CANCELLED/CANCELLED"), heardOnce(id));
    }

    @Test
    void whenTheWorkflowsReactionFailsTheEndIsRolledBackAndWrittenAgain() {
        String queue = Jobs.uniqueQueue();
        // The owner will throw the first time it hears of the job that this sleeper becomes.
        Long next = Jdbc.value("SELECT last_value + 1 FROM jobyard.job_id_seq");
        owner.failOnce(next);
        long id = owned(queue, "sleep", new JsonObject().put("ms", 200), 0, 1);
        assertEquals(next.longValue(), id, "no other test drew an id meanwhile");

        assertEquals(List.of("COMPLETED/COMPLETED"), heardOnce(id));
        assertEquals(List.of(id), owner.failedFor(), "the first write was refused by the owner");
        assertFalse(owner.willFail(id));
        assertEquals(1L, (long) Jdbc.<Long>value("SELECT count(*) FROM jobyard.job_history WHERE id = ?", id));
        assertEquals(1, (int) Jdbc.<Integer>value("SELECT attempt FROM jobyard.job_history WHERE id = ?", id),
                "the handler ran once: only the write was repeated");
    }
}
