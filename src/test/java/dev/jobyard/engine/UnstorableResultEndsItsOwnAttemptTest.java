package dev.jobyard.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.jobyard.database.Sql;
import dev.jobyard.job.Fence;
import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * A result that PostgreSQL refuses never holds up the others of its batch: the completer writes the batch
 * one result at a time, and the refused one ends its own attempt as failed, saying why (retried while
 * attempts remain). Jobs here look as if a worker called "ghost" ran them, so all results share one batch.
 */
@QuarkusTest
class UnstorableResultEndsItsOwnAttemptTest {

    @Inject
    Sql sql;
    @Inject
    OutcomeWriter writer;

    @Test
    void theRefusedResultFailsItsJobAndTheRestOfTheBatchIsWritten() {
        String queue = Jobs.uniqueQueue();
        Jobs.pause(queue);
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            inputs.add(Map.of("kind", "noop", "queue", queue, "maxAttempts", 1));
        }
        inputs.add(Map.of("kind", "noop", "queue", queue, "maxAttempts", 1));
        inputs.add(Map.of("kind", "noop", "queue", queue, "maxAttempts", 3));
        List<Long> ids = Jobs.createAll(inputs).stream().map(Long::parseLong).toList();
        Jdbc.update("UPDATE jobyard.job SET status = 'RUNNING', attempt = 1, worker = 'ghost', started_at = now(),"
                + " lease_expires_at = now() + interval '1 minute' WHERE queue = ?", queue);
        long tooLarge = ids.get(10);
        long notJson = ids.get(11);

        // Given a batch with a number that jsonb cannot hold and a value that cannot be written as JSON (it contains itself), among good results,
        Completer completer = new Completer(sql, writer, 500, 50, 60_000);
        for (long id : ids.subList(0, 10)) {
            completer.submit(new Outcome.Succeeded(Jobs.ghostFence(id), new JsonObject().put("ok", id), false));
        }
        completer.submit(new Outcome.Succeeded(Jobs.ghostFence(tooLarge),
                new JsonObject().put("n", new BigDecimal("1E+200000")), false));
        JsonObject endless = new JsonObject();
        endless.put("itself", endless);
        completer.submit(new Outcome.Succeeded(Jobs.ghostFence(notJson), endless, false));
        completer.start();
        completer.drainAndStop(20_000);

        // then the good results are stored,
        assertEquals(10L, (Long) Jdbc.value("SELECT count(*) FROM jobyard.job_history WHERE id = ANY(?) AND status = 'COMPLETED'",
                ids.subList(0, 10)));
        // the one without attempts left FAILED saying why,
        Map<String, Object> failed = Jdbc.row("SELECT status, error, result FROM jobyard.job_history WHERE id = ?", tooLarge);
        assertEquals("FAILED", failed.get("status"));
        assertTrue(((String) failed.get("error")).startsWith("result could not be stored: "), failed.toString());
        assertTrue(((String) failed.get("error")).contains("22003"), "names the SQLSTATE: " + failed);
        // and the one with attempts left waits for its retry with that error.
        Map<String, Object> retried = Jdbc.row("SELECT status, error, attempt FROM jobyard.job WHERE id = ?", notJson);
        assertEquals("PENDING", retried.get("status"));
        assertTrue(((String) retried.get("error")).startsWith("result could not be stored: "), retried.toString());
        assertEquals(0, completer.backlog().waiting(), "nothing is left to write");
    }
}
