package dev.jobyard.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.jobyard.database.Sql;
import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A dependent starts only when its dependency's result is committed, so results that release other
 * jobs are written ahead of the rest, in small transactions. Which jobs those are is kept on the row.
 */
@QuarkusTest
class DependentsFirstTest {

    @Inject
    Sql sql;
    @Inject
    OutcomeWriter writer;

    @Test
    void aJobIsMarkedAsDependedOnWhenADependentIsCreated() {
        String queue = Jobs.uniqueQueue();
        Jobs.pause(queue);
        List<String> chain = Jobs.createAll(List.of(
                Map.of("kind", "noop", "queue", queue, "ref", "a"),
                Map.of("kind", "noop", "queue", queue, "ref", "b", "dependsOnRefs", List.of("a"))));
        String alone = Jobs.create(Map.of("kind", "noop", "queue", queue));
        String later = Jobs.create(Map.of("kind", "noop", "queue", queue));

        Jobs.create(Map.of("kind", "noop", "queue", queue, "dependencies", List.of(later)));

        assertEquals(true, dependedOn(chain.get(0)), "referenced in the same createJobs");
        assertEquals(false, dependedOn(chain.get(1)), "the end of the chain");
        assertEquals(false, dependedOn(alone));
        assertEquals(true, dependedOn(later), "an existing job, marked when a dependent named it");
    }

    @Test
    void aResultThatReleasesADependentIsWrittenBeforeABacklogOfOthers() {
        String queue = Jobs.uniqueQueue();
        Jobs.pause(queue);
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            inputs.add(Map.of("kind", "noop", "queue", queue));
        }
        inputs.add(Map.of("kind", "noop", "queue", queue, "ref", "first"));
        inputs.add(Map.of("kind", "noop", "queue", queue, "ref", "next", "dependsOnRefs", List.of("first")));
        List<String> ids = Jobs.createAll(inputs);
        List<String> backlog = ids.subList(0, 300);
        String first = ids.get(300);
        String next = ids.get(301);
        Jdbc.update("UPDATE jobyard.job SET status = 'RUNNING', attempt = 1, worker = 'ghost', started_at = now(),"
                + " lease_expires_at = now() + interval '1 minute' WHERE queue = ? AND pending_deps = 0", queue);

        // Given the backlog was submitted before the result that releases a dependent, in one batch's room,
        Completer completer = new Completer(sql, writer, 500, 50, 60_000);
        backlog.forEach(id -> completer.submit(new Outcome.Succeeded(Jobs.ghostFence(Long.parseLong(id)), null, false)));
        completer.submit(new Outcome.Succeeded(Jobs.ghostFence(Long.parseLong(first)), null, true));
        completer.start();
        completer.drainAndStop(10_000);

        // then it committed in a transaction of its own, before the backlog's, and released the dependent.
        Map<String, Object> when = Jdbc.rows("SELECT f.completed_at::text AS first, min(h.completed_at)::text AS backlog,"
                + " count(*) AS n, bool_and(f.completed_at < h.completed_at) AS before"
                + " FROM jobyard.job_history h, jobyard.job_history f"
                + " WHERE h.queue = ? AND h.status = 'COMPLETED' AND h.id <> f.id AND f.id = ? GROUP BY f.completed_at",
                queue, Long.parseLong(first)).get(0);
        assertEquals(300L, ((Number) when.get("n")).longValue(), "the backlog was written too");
        assertEquals(true, when.get("before"), "released at " + when.get("first") + ", backlog from " + when.get("backlog"));
        assertEquals(0, ((Number) Jdbc.rows("SELECT pending_deps FROM jobyard.job WHERE id = ?", Long.parseLong(next))
                .get(0).get("pending_deps")).intValue());
    }

    private static Object dependedOn(String id) {
        return Jdbc.rows("SELECT has_dependents FROM jobyard.job WHERE id = ?", Long.parseLong(id)).get(0).get("has_dependents");
    }
}
