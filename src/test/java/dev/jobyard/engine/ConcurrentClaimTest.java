package dev.jobyard.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.jobyard.database.Sql;
import dev.jobyard.job.ClaimedJob;
import dev.jobyard.job.JobStore;
import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Tuple;

/** Claimers racing on one queue never get the same job: FOR UPDATE SKIP LOCKED hands each row to one. */
@QuarkusTest
class ConcurrentClaimTest {

    @Inject
    Sql sql;
    @Inject
    JobStore store;

    @Test
    void fourClaimersShareTheQueueWithoutOverlap() throws Exception {
        String queue = Jobs.uniqueQueue();
        Jobs.pause(queue);
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            inputs.add(Map.of("kind", "noop", "queue", queue));
        }
        Jobs.createAll(inputs);
        // Unpause in the table only: the engine's own runner for this queue stays asleep until notified,
        // so the four claimers below are the ones racing.
        sql.query("UPDATE jobyard.queue SET paused = false WHERE name = $1", Tuple.of(queue));

        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<List<Long>>> results = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            String worker = "claimer-" + c;
            Callable<List<Long>> claimer = () -> {
                List<Long> mine = new ArrayList<>();
                while (true) {
                    List<ClaimedJob> batch = store.claim(queue, 7, worker, 60_000);
                    if (batch.isEmpty()) {
                        return mine;
                    }
                    batch.forEach(j -> mine.add(j.id()));
                }
            };
            results.add(pool.submit(claimer));
        }
        Set<Long> all = new HashSet<>();
        int total = 0;
        for (Future<List<Long>> result : results) {
            List<Long> mine = result.get();
            total += mine.size();
            all.addAll(mine);
        }
        pool.shutdown();

        // The engine's own runner may find the queue by its discovery scan and take some jobs too: only the
        // claimers' rows are counted against their claims.
        assertTrue(total > 0 && total <= 400, "claimed " + total);
        assertEquals(total, all.size(), "some job was claimed twice");
        long running = sql.query("SELECT count(*) FROM jobyard.job WHERE queue = $1 AND status = 'RUNNING' AND attempt = 1"
                + " AND worker LIKE 'claimer-%'", Tuple.of(queue)).iterator().next().getLong(0);
        assertEquals(total, running, "every claimed job is RUNNING with attempt 1");
        sql.query("DELETE FROM jobyard.job WHERE queue = $1", Tuple.of(queue));
    }
}
