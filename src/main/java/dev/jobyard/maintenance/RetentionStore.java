package dev.jobyard.maintenance;

import java.time.Duration;
import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.database.Sql;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The statements of retention, each in bounded batches of {@value #BATCH} rows that commit one by one: no
 * statement holds many row locks or runs long, and a cleanup that stops halfway has removed whole batches.
 * History entries own their jobs' log lines, attempt outputs, (chain runs) execution log rows and (durable tasks)
 * saved steps and a child's link to its parent, which go with them. Idempotency keys do not: they have a window of
 * their own ({@code jobyard.idempotency.key-retention}).
 */
@ApplicationScoped
public class RetentionStore {

    static final int BATCH = 1000;

    // What a history entry owns in other tables, deleted with it; %s names the entries' ids (a CTE).
    private static final String OWNED = """
            logs AS (DELETE FROM jobyard.job_log o USING %1$s h WHERE o.job_id = h.id),
            outputs AS (DELETE FROM jobyard.attempt_output o USING %1$s h WHERE o.job_id = h.id),
            chain_logs AS (DELETE FROM jobyard.chain_execution_log o USING %1$s h WHERE o.run_id = h.id),
            steps AS (DELETE FROM jobyard.durable_step o USING %1$s h WHERE o.job_id = h.id),
            children AS (DELETE FROM jobyard.durable_child o USING %1$s h WHERE o.child_id = h.id)""";

    // %s is a partition of job_history (or job_history itself), schema-qualified.
    private static final String DELETE_ROWS_BEFORE = """
            WITH gone AS (DELETE FROM %1$s h WHERE (h.id, h.completed_at) IN
                              (SELECT id, completed_at FROM %1$s WHERE completed_at < $1 ORDER BY completed_at LIMIT $2)
                          RETURNING h.id),
            """ + OWNED.formatted("gone") + """

            SELECT count(*) AS n FROM gone""";

    // %s is a table detached from job_history, about to be dropped: its entries' ids after $1, in order.
    private static final String FORGET_OWNED = """
            WITH ids AS (SELECT id FROM %1$s WHERE id > $1 ORDER BY id LIMIT $2),
            """ + OWNED.formatted("ids") + """

            SELECT count(*) AS n, max(id) AS last FROM ids""";

    // One queue's entries that finished before $1, oldest first, from every day (cleanupHistory with a queue).
    private static final String DELETE_QUEUE_ROWS_BEFORE = """
            WITH gone AS (DELETE FROM jobyard.job_history h WHERE (h.id, h.completed_at) IN
                              (SELECT id, completed_at FROM jobyard.job_history
                                WHERE completed_at < $1 AND queue = $3 ORDER BY completed_at LIMIT $2)
                          RETURNING h.id),
            """ + OWNED.formatted("gone") + """

            SELECT count(*) AS n FROM gone""";

    // A key older than its window goes, unless its job is still active (a job pending for longer keeps its key).
    private static final String FORGET_KEYS = """
            WITH gone AS (DELETE FROM jobyard.job_key k WHERE k.idempotency_key IN (
                              SELECT o.idempotency_key FROM jobyard.job_key o
                               WHERE o.created_at < now() - $1 * interval '1 millisecond'
                                 AND NOT EXISTS (SELECT 1 FROM jobyard.job j WHERE j.id = o.job_id)
                               ORDER BY o.created_at LIMIT $2 FOR UPDATE SKIP LOCKED)
                          RETURNING 1)
            SELECT count(*) AS n FROM gone""";

    private static final String FORGET_SLOTS = """
            WITH gone AS (DELETE FROM jobyard.schedule_slot s WHERE (s.schedule_id, s.slot_at) IN
                              (SELECT schedule_id, slot_at FROM jobyard.schedule_slot WHERE created_at < $1 LIMIT $2)
                          RETURNING 1)
            SELECT count(*) AS n FROM gone""";

    // Emitted durable events wake only the tasks waiting when they are emitted; what is kept is their record for
    // the events query, which goes with the history of the same age.
    private static final String FORGET_EVENTS = """
            WITH gone AS (DELETE FROM jobyard.durable_event e WHERE e.id IN
                              (SELECT id FROM jobyard.durable_event WHERE emitted_at < $1 ORDER BY id LIMIT $2)
                          RETURNING 1)
            SELECT count(*) AS n FROM gone""";

    private final Sql sql;

    RetentionStore(Sql sql) {
        this.sql = sql;
    }

    /** Deletes the entries of {@code relation} that finished before {@code cutoff}, with what they own; returns how many. */
    public long deleteRowsBefore(String relation, OffsetDateTime cutoff) {
        return drain(DELETE_ROWS_BEFORE.formatted(relation), cutoff);
    }

    /** Deletes the entries of {@code queue} that finished before {@code cutoff}, with what they own; returns how many. */
    public long deleteQueueRowsBefore(String queue, OffsetDateTime cutoff) {
        long total = 0;
        long n;
        do {
            n = count(sql.query(DELETE_QUEUE_ROWS_BEFORE, Tuple.of(cutoff, BATCH, queue)).iterator().next());
            total += n;
        } while (n == BATCH);
        return total;
    }

    /** Deletes what the entries of {@code detached} (no longer a partition of job_history) own in other tables. */
    public void forgetOwnedBy(String detached) {
        String statement = FORGET_OWNED.formatted(detached);
        long after = Long.MIN_VALUE;
        while (true) {
            Row row = sql.query(statement, Tuple.of(after, BATCH)).iterator().next();
            if (count(row) < BATCH) {
                return;
            }
            after = row.getLong("last");
        }
    }

    /** Deletes the idempotency keys older than {@code window} whose job is no longer active; returns how many. */
    public long forgetKeysOlderThan(Duration window) {
        return drain(FORGET_KEYS, window.toMillis());
    }

    /** Deletes the schedule slots recorded before {@code cutoff} (the firing record of history that went). */
    public long forgetSlotsBefore(OffsetDateTime cutoff) {
        return drain(FORGET_SLOTS, cutoff);
    }

    /** Deletes the durable events emitted before {@code cutoff}; returns how many. */
    public long forgetEventsBefore(OffsetDateTime cutoff) {
        return drain(FORGET_EVENTS, cutoff);
    }

    /** Runs a batch {@code statement} ($1 {@code bound}, $2 the batch size) until a batch finds less; returns the rows. */
    private long drain(String statement, Object bound) {
        long total = 0;
        long n;
        do {
            n = count(sql.query(statement, Tuple.of(bound, BATCH)).iterator().next());
            total += n;
        } while (n == BATCH);
        return total;
    }

    private static long count(Row row) {
        return row.getLong("n");
    }
}
