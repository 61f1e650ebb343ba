package dev.jobyard.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.jobyard.database.Sql;
import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Tuple;

/** Invariant 1: a job lives in exactly one of job (PENDING, RUNNING) and job_history (final states). */
@QuarkusTest
class ArchiveInvariantTest {

    @Inject
    Sql sql;

    @Test
    void everyFinishedJobIsInHistoryOnlyAndNoneInBoth() {
        String queue = Jobs.uniqueQueue();
        List<String> ids = Jobs.createAll(List.of(
                Map.of("kind", "noop", "queue", queue),
                Map.of("kind", "test-fail", "queue", queue, "maxAttempts", 1, "ref", "f"),
                Map.of("kind", "noop", "queue", queue, "dependsOnRefs", List.of("f"))));
        Jobs.awaitStatus(ids.get(0), "COMPLETED");
        Jobs.awaitStatus(ids.get(1), "FAILED");
        Jobs.awaitStatus(ids.get(2), "CANCELLED");

        Long[] array = ids.stream().map(Long::valueOf).toArray(Long[]::new);
        long active = count("SELECT count(*) FROM jobyard.job WHERE id = ANY($1)", array);
        long archived = count("SELECT count(*) FROM jobyard.job_history WHERE id = ANY($1)", array);
        long both = count("SELECT count(*) FROM jobyard.job j JOIN jobyard.job_history h USING (id)", null);
        long edges = count("SELECT count(*) FROM jobyard.job_dependency WHERE job_id = ANY($1) OR depends_on = ANY($1)", array);

        assertEquals(0, active);
        assertEquals(3, archived);
        assertEquals(0, both, "no job may be active and archived at once");
        assertEquals(0, edges, "no dependency edge outlives its jobs");
    }

    private long count(String query, Long[] ids) {
        var rows = ids == null ? sql.query(query) : sql.query(query, Tuple.of((Object) ids));
        return rows.iterator().next().getLong(0);
    }
}
