package dev.jobyard.database;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.ScratchDatabase;

/**
 * V10 removes job_history's DEFAULT partition (PostgreSQL 15 refuses DETACH … CONCURRENTLY beside one): the
 * rows it holds move to partitions of their days, or to job_history_after beyond the days kept ahead.
 */
class HistoryDefaultPartitionUpgradeTest {

    private static final String INSERT = "INSERT INTO jobyard.job_history (id, queue, kind, payload, labels, priority,"
            + " status, run_at, attempt, max_attempts, dependencies, errors, created_at, completed_at) VALUES (%d,"
            + " 'default', 'noop', '{}', '{}', 0, 'COMPLETED', now(), 1, 1, '[]', '[]', now(), '%s')";

    @Test
    void rowsOfTheDefaultPartitionMoveToTheirDaysOrToAfter() throws SQLException {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        try (ScratchDatabase db = new ScratchDatabase("upgrade_v10")) {
            // Given a V7 database whose default partition holds an entry of a day without a partition, and one
            // far ahead, beside an entry of today,
            db.migrate("7");
            db.execute(INSERT.formatted(1, today.minusDays(10) + "T12:00:00Z"), INSERT.formatted(2, "2100-01-01T00:00:00Z"),
                    INSERT.formatted(3, today + "T00:30:00Z"));

            // when it is migrated to the latest version,
            db.migrate("latest");

            // then each entry is in the partition of its day, the far one in job_history_after, and no DEFAULT is left.
            assertEquals(Map.of(1L, "job_history_p" + day(today.minusDays(10)), 2L, "job_history_after",
                    3L, "job_history_p" + day(today)), partitionOfEach(db));
            assertEquals(0, count(db, "SELECT count(*) FROM pg_partitioned_table t JOIN pg_class c ON c.oid = t.partrelid"
                    + " WHERE c.relname = 'job_history' AND t.partdefid <> 0"));
            assertEquals(8, count(db, "SELECT count(*) FROM pg_class WHERE relname IN ("
                    + String.join(",", java.util.stream.IntStream.rangeClosed(0, 7)
                            .mapToObj(i -> "'job_history_p" + day(today.plusDays(i)) + "'").toList()) + ")"),
                    "today and the week ahead have partitions");
        }
    }

    @Test
    void aDatabaseUpgradedThroughV7TodayKeepsItsHistoryInTheKeptPartition() throws SQLException {
        try (ScratchDatabase db = new ScratchDatabase("upgrade_v10")) {
            // Given a V6 database with history, upgraded to V7 (which keeps it in job_history_before_v7, up to
            // tomorrow) and then to the latest version on the same day,
            db.migrate("6");
            db.execute(INSERT.formatted(1, "2020-05-05T05:05:05Z"));
            db.migrate("latest");

            // then the old entry is where V7 left it, and the days from tomorrow on have their partitions.
            assertEquals(Map.of(1L, "job_history_before_v7"), partitionOfEach(db));
            assertEquals(1, count(db, "SELECT count(*) FROM pg_class WHERE relname = 'job_history_after'"));
        }
    }

    private static Map<Long, String> partitionOfEach(ScratchDatabase db) throws SQLException {
        Map<Long, String> where = new TreeMap<>();
        try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT h.id, c.relname FROM jobyard.job_history h JOIN pg_class c ON c.oid = h.tableoid")) {
            while (rs.next()) {
                where.put(rs.getLong(1), rs.getString(2));
            }
        }
        return where;
    }

    private static long count(ScratchDatabase db, String sql) throws SQLException {
        try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String day(LocalDate day) {
        return day.toString().replace("-", "");
    }
}
