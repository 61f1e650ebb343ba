package dev.jobyard.maintenance;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.jobyard.database.Sql;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Upkeep of {@code job_history}'s partitions (V7, V10): one per UTC day up to {@value #DAYS_AHEAD} days
 * ahead, and {@value #AFTER} from there on, so that an archive never lacks a partition. Days are the database
 * clock's, as are the history rows' {@code completed_at}.
 * <p>
 * Nothing here makes a completion wait: a day is created as a table of its own and then attached (which locks
 * {@code job_history} only SHARE UPDATE EXCLUSIVE, as inserts do not conflict with), and a day is removed with
 * {@code DETACH PARTITION … CONCURRENTLY} and then dropped. PostgreSQL refuses a concurrent detach while the
 * table has a DEFAULT partition, which is why V10 replaced it with {@value #AFTER}, and refuses it inside a
 * transaction block, which is why those statements run on a connection of their own, one by one. A detach that
 * was interrupted is finished ({@code FINALIZE}) by the next run, and a table detached but not yet dropped is
 * dropped by it.
 */
@ApplicationScoped
public class HistoryPartitions {

    private static final Logger LOG = Logger.getLogger(HistoryPartitions.class);
    static final int DAYS_AHEAD = 7;
    static final String PREFIX = "job_history_p";
    /** The partition from the last day ahead to MAXVALUE. */
    static final String AFTER = "job_history_after";
    /** AFTER once detached, while its rows move to the partitions of their days. */
    static final String MOVING = "job_history_after_moving";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");
    // Attaching takes the new (empty) table's lock and job_history's SHARE UPDATE EXCLUSIVE: short.
    private static final String ATTACH_LOCK_TIMEOUT = "2s";
    // A concurrent detach waits for the transactions that may still read the partition; nobody waits for it.
    private static final String DETACH_LOCK_TIMEOUT = "5min";
    private static final Pattern BOUND = Pattern.compile(
            "FOR VALUES FROM \\((MINVALUE|'([^']+)')\\) TO \\((MAXVALUE|'([^']+)')\\)");

    // Bounds print in the session's time zone: partitions() sets UTC ('2026-12-07 00:00:00+00').
    private static final String PARTITIONS = """
            SELECT c.relname, i.inhdetachpending AS pending, pg_get_expr(c.relpartbound, c.oid) AS bound
              FROM pg_inherits i
              JOIN pg_class c ON c.oid = i.inhrelid
              JOIN pg_class p ON p.oid = i.inhparent
              JOIN pg_namespace n ON n.oid = p.relnamespace
             WHERE n.nspname = 'jobyard' AND p.relname = 'job_history'
             ORDER BY c.relname""";
    // Tables of history that are no partition (any more): detached by a run that stopped before dropping them.
    private static final String DETACHED = """
            SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'jobyard' AND c.relkind = 'r' AND NOT c.relispartition
               AND (c.relname LIKE 'job_history\\_p%' OR c.relname = 'job_history_before_v7')""";
    private static final String DETACHED_AFTER = """
            SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'jobyard' AND c.relname = 'job_history_after' AND NOT c.relispartition""";
    private static final String DETACHED_MOVING = """
            SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'jobyard' AND c.relname = 'job_history_after_moving'""";
    private static final String TODAY = "SELECT (now() AT TIME ZONE 'UTC')::date AS today";
    private static final String AGO = "SELECT now() - $1 * interval '1 millisecond' AS at";

    /** A partition of job_history: from {@code lower} (null: MINVALUE) to {@code upper} (null: MAXVALUE). */
    record Partition(String name, OffsetDateTime lower, OffsetDateTime upper, boolean detachPending) {

        boolean covers(LocalDate day) {
            OffsetDateTime start = day.atStartOfDay().atOffset(ZoneOffset.UTC);
            return (lower == null || !lower.isAfter(start)) && (upper == null || upper.isAfter(start));
        }
    }

    private final Sql sql;
    private final RetentionStore store;

    HistoryPartitions(Sql sql, RetentionStore store) {
        this.sql = sql;
        this.store = store;
    }

    /**
     * Creates the partitions of today and the next {@value #DAYS_AHEAD} days (by the database clock) that do
     * not exist yet, moving {@value #AFTER} beyond them.
     */
    public void createAhead() {
        finishInterrupted();
        LocalDate today = sql.query(TODAY).iterator().next().getLocalDate("today");
        LocalDate lastDay = today.plusDays(DAYS_AHEAD);
        List<Partition> partitions = partitions();
        Optional<Partition> after = partitions.stream().filter(p -> p.name().equals(AFTER)).findFirst();
        TreeSet<LocalDate> missing = new TreeSet<>();
        for (LocalDate day = today; !day.isAfter(lastDay); day = day.plusDays(1)) {
            if (!covered(partitions, day)) {
                missing.add(day); // a day inside job_history_before_v7 (the day of the upgrade) needs none
            }
        }
        if (sql.query(DETACHED_AFTER).iterator().hasNext()) {
            // Detached by a run that stopped before renaming it.
            sql.query("ALTER TABLE jobyard." + AFTER + " RENAME TO " + MOVING);
        }
        boolean stranded = sql.query(DETACHED_MOVING).iterator().hasNext();
        if (after.isPresent() && !stranded && missing.stream().noneMatch(after.get()::covers)) {
            missing.forEach(this::attachDay);
            return;
        }
        // Days inside AFTER: it steps aside (renamed MOVING), the days get their partitions, AFTER comes back
        // after the last one, and the rows it took meanwhile (no leader kept the days) go where they belong now.
        boolean moving = stranded;
        if (after.isPresent() && missing.stream().anyMatch(after.get()::covers)) {
            detachConcurrently(AFTER);
            sql.query("ALTER TABLE jobyard." + AFTER + " RENAME TO " + MOVING);
            moving = true;
        }
        if (moving) {
            for (Row row : sql.query("SELECT DISTINCT (completed_at AT TIME ZONE 'UTC')::date AS day FROM jobyard." + MOVING)) {
                LocalDate day = row.getLocalDate("day");
                // Days beyond the last day ahead stay in AFTER (a clock that went back): no partitions far ahead.
                if (!day.isAfter(lastDay) && !covered(partitions, day)) {
                    missing.add(day);
                }
            }
        }
        missing.forEach(this::attachDay);
        OffsetDateTime from = lastDay.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC);
        for (Partition partition : partitions()) {
            if (partition.upper() != null && partition.upper().isAfter(from)) {
                from = partition.upper();
            }
        }
        if (partitions().stream().noneMatch(p -> p.name().equals(AFTER))) {
            attach(AFTER, "FROM ('" + from + "') TO (MAXVALUE)");
        }
        if (moving) {
            // One transaction: a run that stops here leaves MOVING whole for the next one.
            sql.inTransaction(tx -> {
                tx.query("INSERT INTO jobyard.job_history SELECT * FROM jobyard." + MOVING);
                tx.query("DROP TABLE jobyard." + MOVING);
                return null;
            });
        }
    }

    private static boolean covered(List<Partition> partitions, LocalDate day) {
        return partitions.stream().anyMatch(p -> !p.name().equals(AFTER) && p.covers(day));
    }

    private void attachDay(LocalDate day) {
        try {
            attach(name(day), "FROM ('" + day + " 00:00:00+00') TO ('" + day.plusDays(1) + " 00:00:00+00')");
        } catch (RuntimeException e) {
            LOG.warnf("Could not create history partition %s (%s); the next upkeep tries again", name(day), e.getMessage());
        }
    }

    /** Creates {@code name} as a table of its own, then attaches it: job_history is never locked against inserts. */
    private void attach(String name, String bounds) {
        sql.inTransaction(tx -> {
            tx.query("SET LOCAL lock_timeout = '" + ATTACH_LOCK_TIMEOUT + "'");
            tx.query("CREATE TABLE jobyard." + name + " (LIKE jobyard.job_history INCLUDING DEFAULTS INCLUDING CONSTRAINTS)");
            tx.query("ALTER TABLE jobyard.job_history ATTACH PARTITION jobyard." + name + " FOR VALUES " + bounds);
            return null;
        });
    }

    private void detachConcurrently(String name) {
        sql.onConnection(conn -> {
            conn.query("SET lock_timeout = '" + DETACH_LOCK_TIMEOUT + "'");
            try {
                conn.query("ALTER TABLE jobyard.job_history DETACH PARTITION jobyard." + name + " CONCURRENTLY");
            } finally {
                conn.query("RESET lock_timeout");
            }
            return null;
        });
    }

    /**
     * Removes every partition that ends at or before {@code cutoff} (by the database clock): detached
     * concurrently, what its jobs own deleted, then dropped. Returns how many history entries went.
     */
    public long dropEndingBefore(OffsetDateTime cutoff) {
        finishInterrupted();
        long removed = 0;
        for (Partition partition : partitions()) {
            if (partition.upper() == null || partition.upper().isAfter(cutoff)) {
                continue;
            }
            try {
                detachConcurrently(partition.name());
                removed += dropDetached(partition.name());
            } catch (RuntimeException e) {
                LOG.warnf("Could not drop history partition %s (%s); the next cleanup tries again", partition.name(),
                        e.getMessage());
            }
        }
        return removed;
    }

    /**
     * Partitions that hold entries finished before {@code cutoff} but cannot be dropped whole: {@code
     * job_history_before_v7} while it still holds newer history, and, when {@code exact}, the day that
     * straddles the cutoff too.
     */
    public List<String> notDroppableBefore(OffsetDateTime cutoff, boolean exact) {
        List<String> names = new ArrayList<>();
        for (Partition partition : partitions()) {
            boolean straddles = (partition.lower() == null || partition.lower().isBefore(cutoff))
                    && (partition.upper() == null || partition.upper().isAfter(cutoff));
            if (straddles && (exact || partition.lower() == null)) {
                names.add("jobyard." + partition.name());
            }
        }
        return names;
    }

    /** The database's now minus {@code ageMillis}. */
    public OffsetDateTime ago(long ageMillis) {
        return sql.query(AGO, Tuple.of(ageMillis)).iterator().next().getOffsetDateTime("at");
    }

    private long dropDetached(String name) {
        String table = "jobyard." + name;
        store.forgetOwnedBy(table);
        long rows = sql.query("SELECT count(*) AS n FROM " + table).iterator().next().getLong("n");
        sql.query("DROP TABLE " + table);
        return rows;
    }

    /** Finishes what a run that stopped halfway left: a detach still pending, a detached table not dropped. */
    private void finishInterrupted() {
        for (Partition partition : partitions()) {
            if (partition.detachPending()) {
                sql.onConnection(conn -> conn.query("ALTER TABLE jobyard.job_history DETACH PARTITION jobyard."
                        + partition.name() + " FINALIZE"));
            }
        }
        for (Row row : sql.query(DETACHED)) {
            String name = row.getString("relname");
            LOG.infof("Dropping %s, detached from job_history by an interrupted cleanup", name);
            dropDetached(name);
        }
    }

    /** The partitions of job_history with their bounds. */
    List<Partition> partitions() {
        List<Partition> partitions = new ArrayList<>();
        for (Row row : sql.inTransaction(tx -> {
            tx.query("SET LOCAL TimeZone = 'UTC'");
            return tx.query(PARTITIONS);
        })) {
            Matcher m = BOUND.matcher(row.getString("bound"));
            if (!m.find()) {
                continue; // not a range partition (a DEFAULT one made by hand)
            }
            partitions.add(new Partition(row.getString("relname"), timestamp(m.group(2)), timestamp(m.group(4)),
                    row.getBoolean("pending")));
        }
        return partitions;
    }

    private static OffsetDateTime timestamp(String text) {
        return text == null ? null : OffsetDateTime.parse(text.replace(' ', 'T') + ":00");
    }

    /** The daily partitions, oldest first (their names sort by day). */
    public List<String> dailyPartitions() {
        return partitions().stream().map(Partition::name).filter(n -> n.startsWith(PREFIX)).sorted().toList();
    }

    static String name(LocalDate day) {
        return PREFIX + DAY.format(day);
    }
}
