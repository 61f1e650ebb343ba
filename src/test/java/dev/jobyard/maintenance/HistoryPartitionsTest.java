package dev.jobyard.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import jakarta.inject.Inject;

import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.Logger;
import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Await;
import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;

/**
 * job_history is partitioned by the day a job finished; retention detaches whole days concurrently and drops
 * them, with what they own, and no completion waits for it.
 */
@QuarkusTest
class HistoryPartitionsTest {

    @Inject
    HistoryPartitions partitions;
    @Inject
    RetentionCleaner cleaner;

    @Test
    void aFinishedJobIsFiledUnderTodayAndTheComingDaysAreReady() {
        String id = Jobs.create(Map.of("kind", "noop", "queue", Jobs.uniqueQueue()));
        Jobs.awaitStatus(id, "COMPLETED");

        partitions.createAhead();

        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        assertEquals(HistoryPartitions.name(today), Jdbc.rows("SELECT c.relname FROM jobyard.job_history h"
                + " JOIN pg_class c ON c.oid = h.tableoid WHERE h.id = ?", Long.parseLong(id)).get(0).get("relname"));
        List<String> existing = partitions.dailyPartitions();
        for (int i = 0; i <= HistoryPartitions.DAYS_AHEAD; i++) {
            assertTrue(existing.contains(HistoryPartitions.name(today.plusDays(i))), "no partition for today + " + i);
        }
    }

    @Test
    void aMissingDayAheadIsCreated() {
        // Given the last day ahead is missing (it holds nothing yet, being a week away),
        String lastDay = HistoryPartitions.name(LocalDate.now(ZoneOffset.UTC).plusDays(HistoryPartitions.DAYS_AHEAD));
        Jdbc.update("DROP TABLE IF EXISTS jobyard." + lastDay);
        assertFalse(partitions.dailyPartitions().contains(lastDay));

        // when the leader's upkeep runs, then it is there again.
        partitions.createAhead();

        assertTrue(partitions.dailyPartitions().contains(lastDay));
    }

    @Test
    void aDayInsideHistoryKeptByTheMigrationIsLeftAloneWithoutAWarning() {
        // Given the last day ahead lies inside a partition of another name, as the day after the migration lies
        // inside job_history_before_v7 on a database upgraded to V7,
        LocalDate day = LocalDate.now(ZoneOffset.UTC).plusDays(HistoryPartitions.DAYS_AHEAD);
        String daily = HistoryPartitions.name(day);
        String kept = "job_history_kept_" + ThreadLocalRandom.current().nextInt(1_000_000);
        String testThread = Thread.currentThread().getName();
        List<ExtLogRecord> warnings = Collections.synchronizedList(new ArrayList<>());
        ExtHandler capture = new ExtHandler() {
            @Override
            protected void doPublish(ExtLogRecord record) {
                // Only this test's upkeep: the leader's scheduled one may run meanwhile.
                if (record.getLevel().intValue() >= Level.WARNING.intValue() && testThread.equals(record.getThreadName())) {
                    warnings.add(record);
                }
            }
        };
        Logger logger = LogContext.getLogContext().getLogger(HistoryPartitions.class.getName());
        logger.addHandler(capture);
        try {
            // One transaction, so the leader's scheduled upkeep cannot recreate the daily partition in between.
            Jdbc.update("DROP TABLE IF EXISTS jobyard." + daily + "; CREATE TABLE jobyard." + kept
                    + " PARTITION OF jobyard.job_history FOR VALUES FROM ('" + day + " 00:00:00+00') TO ('"
                    + day.plusDays(1) + " 00:00:00+00')");

            // when the leader's upkeep runs,
            partitions.createAhead();

            // then that day keeps its partition, no daily one is made beside it, and nothing is reported.
            assertFalse(partitions.dailyPartitions().contains(daily));
            assertEquals(1L, count("SELECT count(*) AS n FROM pg_class WHERE relname = ?", kept));
            assertEquals(List.of(), warnings.stream().map(ExtLogRecord::getFormattedMessage).toList());
        } finally {
            logger.removeHandler(capture);
            Jdbc.update("DROP TABLE IF EXISTS jobyard." + kept);
            partitions.createAhead();
        }
    }

    @Test
    void retentionDropsAWholeOldDayWithTheLogsAndOutputsOfItsJobsButNotItsKeys() {
        // Given a day long past, with one archived job that has an idempotency key, a log line, an output and (as a
        // chain run) an execution log row,
        LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(200 + ThreadLocalRandom.current().nextInt(100));
        String partition = HistoryPartitions.name(day);
        Jdbc.update("CREATE TABLE jobyard." + partition + " PARTITION OF jobyard.job_history FOR VALUES FROM ('"
                + day + " 00:00:00+00') TO ('" + day.plusDays(1) + " 00:00:00+00')");
        long id = ((Number) Jdbc.rows("SELECT nextval('jobyard.job_id_seq') AS id").get(0).get("id")).longValue();
        String key = "old-" + id;
        Jdbc.update("INSERT INTO jobyard.job_history (id, queue, kind, payload, labels, priority, status, run_at, attempt,"
                + " max_attempts, idempotency_key, dependencies, errors, created_at, completed_at)"
                + " VALUES (?, 'default', 'noop', '{}', '{}', 0, 'COMPLETED', ?::timestamptz, 2, 2, ?, '[]', '[]',"
                + " ?::timestamptz, ?::timestamptz + interval '1 hour')", id, day + "T00:00:00Z", key, day + "T00:00:00Z",
                day + "T00:00:00Z");
        Jdbc.update("INSERT INTO jobyard.job_key (idempotency_key, job_id) VALUES (?, ?)", key, id);
        Jdbc.update("INSERT INTO jobyard.job_log (job_id, attempt, level, message) VALUES (?, 1, 'INFO', 'old')", id);
        Jdbc.update("INSERT INTO jobyard.attempt_output (job_id, attempt, status, output) VALUES (?, 1, 'FAILED', '{}')", id);
        Jdbc.update("INSERT INTO jobyard.chain_execution_log (run_id, chain_id, started_at, return_code) VALUES (?, 0, now(), 0)", id);

        // when retention keeps 30 days,
        long removed = cleaner.removeOlderThan(Duration.ofDays(30));

        // then the day's partition is gone, and so is everything its job owned; its key has a window of its own.
        assertTrue(removed >= 1, "removed " + removed);
        assertFalse(partitions.dailyPartitions().contains(partition));
        assertEquals(0L, count("SELECT count(*) AS n FROM pg_class WHERE relname = ?", partition));
        assertEquals(1L, count("SELECT count(*) AS n FROM jobyard.job_key WHERE idempotency_key = ?", key));
        Jdbc.update("DELETE FROM jobyard.job_key WHERE idempotency_key = ?", key);
        assertEquals(0L, count("SELECT count(*) AS n FROM jobyard.job_log WHERE job_id = ?", id));
        assertEquals(0L, count("SELECT count(*) AS n FROM jobyard.attempt_output WHERE job_id = ?", id));
        assertEquals(0L, count("SELECT count(*) AS n FROM jobyard.chain_execution_log WHERE run_id = ?", id));
        assertTrue(partitions.dailyPartitions().contains(HistoryPartitions.name(LocalDate.now(ZoneOffset.UTC))),
                "today's partition is kept");
    }

    @Test
    void aCompletionDoesNotWaitWhileRetentionWaitsForAReaderOfTheOldDay() throws Exception {
        // Given a day long past with one entry, and a reader whose snapshot still sees it,
        LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(400 + ThreadLocalRandom.current().nextInt(100));
        String partition = HistoryPartitions.name(day);
        oldDay(day);
        ExecutorService cleanup = Executors.newSingleThreadExecutor();
        try (Connection reader = Jdbc.connect()) {
            reader.setAutoCommit(false);
            reader.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try (var statement = reader.createStatement()) {
                statement.executeQuery("SELECT count(*) FROM jobyard.job_history").close();
            }
            // when retention removes that day, and has to wait for the reader,
            Future<Long> removing = cleanup.submit(() -> cleaner.removeOlderThan(Duration.ofDays(30)));
            Await.until(Duration.ofSeconds(30), () -> count("SELECT count(*) AS n FROM pg_stat_activity WHERE query LIKE"
                    + " 'ALTER TABLE jobyard.job_history DETACH PARTITION jobyard." + partition + "%' AND wait_event IS NOT NULL"),
                    n -> n == 1, "retention to wait for the reader");

            // then a job finishes meanwhile: its archive does not queue behind the partition change,
            String id = Jobs.create(Map.of("kind", "noop", "queue", Jobs.uniqueQueue()));
            Jobs.awaitStatus(id, "COMPLETED");
            assertFalse(removing.isDone(), "retention still waits for the reader");

            // and once the reader is done, the day goes.
            reader.rollback();
            assertTrue(removing.get(30, TimeUnit.SECONDS) >= 1);
            assertFalse(partitions.dailyPartitions().contains(partition));
        } finally {
            cleanup.shutdownNow();
        }
    }

    @Test
    void archivesThatLandedBeyondTheDaysAheadMoveToTheirOwnDay() {
        // Given no leader kept the days for a while: the last day ahead has no partition, job_history_after starts
        // there and holds an entry of that day,
        LocalDate last = LocalDate.now(ZoneOffset.UTC).plusDays(HistoryPartitions.DAYS_AHEAD);
        String daily = HistoryPartitions.name(last);
        Jdbc.update("ALTER TABLE jobyard.job_history DETACH PARTITION jobyard.job_history_after;"
                + " DROP TABLE IF EXISTS jobyard." + daily + ";"
                + " ALTER TABLE jobyard.job_history ATTACH PARTITION jobyard.job_history_after FOR VALUES FROM ('"
                + last + " 00:00:00+00') TO (MAXVALUE)");
        long id = insertHistory(last + "T06:00:00Z", null);

        // when the leader's upkeep runs,
        partitions.createAhead();

        // then the day has its partition again, holding that entry, and job_history_after starts after it.
        assertEquals(daily, Jdbc.rows("SELECT c.relname FROM jobyard.job_history h JOIN pg_class c ON c.oid = h.tableoid"
                + " WHERE h.id = ?", id).get(0).get("relname"));
        HistoryPartitions.Partition after = partitions.partitions().stream()
                .filter(p -> p.name().equals(HistoryPartitions.AFTER)).findFirst().orElseThrow();
        assertEquals(last.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC).toInstant(), after.lower().toInstant());
        Jdbc.update("DELETE FROM jobyard.job_history WHERE id = ?", id);
    }

    @Test
    void jobHistoryHasNoDefaultPartitionSoDaysCanBeDetachedConcurrently() {
        assertEquals(0L, count("SELECT count(*) AS n FROM pg_partitioned_table t JOIN pg_class c ON c.oid = t.partrelid"
                + " WHERE c.relname = 'job_history' AND t.partdefid <> 0"));
    }

    /** A partition for {@code day} holding one entry; returns its job id. */
    private static long oldDay(LocalDate day) {
        Jdbc.update("CREATE TABLE jobyard." + HistoryPartitions.name(day) + " PARTITION OF jobyard.job_history FOR VALUES FROM ('"
                + day + " 00:00:00+00') TO ('" + day.plusDays(1) + " 00:00:00+00')");
        return insertHistory(day + "T01:00:00Z", null);
    }

    private static long insertHistory(String completedAt, String key) {
        long id = ((Number) Jdbc.rows("SELECT nextval('jobyard.job_id_seq') AS id").get(0).get("id")).longValue();
        Jdbc.update("INSERT INTO jobyard.job_history (id, queue, kind, payload, labels, priority, status, run_at, attempt,"
                + " max_attempts, idempotency_key, dependencies, errors, created_at, completed_at)"
                + " VALUES (?, 'default', 'noop', '{}', '{}', 0, 'COMPLETED', ?::timestamptz, 1, 1, ?, '[]', '[]',"
                + " ?::timestamptz, ?::timestamptz)", id, completedAt, key, completedAt, completedAt);
        return id;
    }

    private static long count(String sql, Object... args) {
        return ((Number) Jdbc.rows(sql, args).get(0).get("n")).longValue();
    }
}
