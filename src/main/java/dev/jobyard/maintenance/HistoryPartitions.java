package dev.jobyard.maintenance;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.jobyard.database.Sql;
import dev.jobyard.job.JobStore;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.pgclient.PgException;

/**
 * Upkeep of {@code job_history}'s daily partitions (V7): the leader creates the days ahead and drops whole
 * days that retention no longer keeps, after removing what other tables hold for their jobs. Partition
 * changes lock the whole history table, so each waits at most {@link #LOCK_TIMEOUT} and is tried again on
 * the next run rather than holding up the completers behind it.
 */
@ApplicationScoped
public class HistoryPartitions {

    private static final Logger LOG = Logger.getLogger(HistoryPartitions.class);
    static final int DAYS_AHEAD = 7;
    static final String PREFIX = "job_history_p";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final String LOCK_TIMEOUT = "2s";
    // What CREATE TABLE … PARTITION OF fails with when the range overlaps an existing partition.
    private static final String INVALID_OBJECT_DEFINITION = "42P17";

    private static final String DAILY_PARTITIONS = """
            SELECT c.relname FROM pg_inherits i
              JOIN pg_class c ON c.oid = i.inhrelid
              JOIN pg_class p ON p.oid = i.inhparent
              JOIN pg_namespace n ON n.oid = p.relnamespace
             WHERE n.nspname = 'jobyard' AND p.relname = 'job_history' AND c.relname LIKE 'job_history_p%'
             ORDER BY c.relname""";

    private final Sql sql;
    private final JobStore store;

    HistoryPartitions(Sql sql, JobStore store) {
        this.sql = sql;
        this.store = store;
    }

    /** Creates the partitions of today and the next {@value #DAYS_AHEAD} days that do not exist yet. */
    public void createAhead() {
        List<String> existing = dailyPartitions();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        for (int i = 0; i <= DAYS_AHEAD; i++) {
            LocalDate day = today.plusDays(i);
            String name = name(day);
            if (existing.contains(name)) {
                continue;
            }
            try {
                sql.inTransaction(tx -> {
                    tx.query("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'");
                    tx.query("CREATE TABLE jobyard." + name + " PARTITION OF jobyard.job_history FOR VALUES FROM ('"
                            + day + " 00:00:00+00') TO ('" + day.plusDays(1) + " 00:00:00+00')");
                    return null;
                });
            } catch (RuntimeException e) {
                // By SQLSTATE, not message text: a server with other lc_messages words it differently.
                if (e instanceof PgException pg && INVALID_OBJECT_DEFINITION.equals(pg.getSqlState())) {
                    // The day lies within job_history_before_v7 (history kept by migration V7 up to its day).
                    LOG.debugf("History partition %s not needed: %s", name, e.getMessage());
                    continue;
                }
                // E.g. rows of that day already in the default partition (no leader kept the partitions for a
                // week): they stay there, and retention deletes them row by row.
                LOG.warnf("Could not create history partition %s (%s); finished jobs of that day go to job_history_default",
                        name, e.getMessage());
            }
        }
    }

    /**
     * Drops the daily partitions that end at or before {@code now - age}, with their jobs' keys, logs and
     * outputs; returns how many history entries went.
     */
    public long dropOlderThan(Duration age) {
        LocalDate firstKept = OffsetDateTime.now(ZoneOffset.UTC).minus(age).toLocalDate();
        long removed = 0;
        for (String name : dailyPartitions()) {
            if (name.compareTo(name(firstKept)) >= 0) {
                break;
            }
            try {
                removed += drop(name);
            } catch (RuntimeException e) {
                LOG.warnf("Could not drop history partition %s (%s); the next cleanup tries again", name, e.getMessage());
            }
        }
        return removed;
    }

    // One transaction: if the partition's lock does not come, its jobs keep their keys, logs and outputs too.
    private long drop(String name) {
        return sql.inTransaction(tx -> {
            store.forgetOwnedBy(tx, "jobyard." + name);
            tx.query("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'");
            long rows = tx.query("SELECT count(*) AS n FROM jobyard." + name).iterator().next().getLong("n");
            tx.query("DROP TABLE jobyard." + name);
            return rows;
        });
    }

    /** The daily partitions, oldest first (their names sort by day). */
    public List<String> dailyPartitions() {
        List<String> names = new ArrayList<>();
        for (Row row : sql.query(DAILY_PARTITIONS)) {
            names.add(row.getString(0));
        }
        return names;
    }

    static String name(LocalDate day) {
        return PREFIX + DAY.format(day);
    }
}
