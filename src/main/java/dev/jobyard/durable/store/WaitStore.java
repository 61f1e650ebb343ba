package dev.jobyard.durable.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.database.Sql;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Every statement on {@code durable_wait}: what parked jobs wait for. A wait is recorded in the transaction that
 * parks its job, and taken (deleted) by the transaction that wakes it, so a job is woken at most once per wait.
 */
@ApplicationScoped
public class WaitStore {

    private static final String RECORD = """
            INSERT INTO jobyard.durable_wait (job_id, type, key, until, event_name, child_job_id, table_name, operation,
                                              columns, created_at)
            VALUES ($1, $2, $3, now() + $4 * interval '1 millisecond', $5, $6, $7, $8, $9, now())
            ON CONFLICT (job_id) DO UPDATE SET type = EXCLUDED.type, key = EXCLUDED.key, until = EXCLUDED.until,
                   event_name = EXCLUDED.event_name, child_job_id = EXCLUDED.child_job_id,
                   table_name = EXCLUDED.table_name, operation = EXCLUDED.operation, columns = EXCLUDED.columns,
                   created_at = now()""";
    private static final String RETURNING = " RETURNING job_id, type, key, until, event_name, child_job_id, table_name,"
            + " operation, columns";
    private static final String TAKE_EVENT = "DELETE FROM jobyard.durable_wait WHERE type = 'event' AND event_name = $1"
            + " AND ($2::text[] IS NULL OR job_id IN (SELECT id FROM jobyard.job WHERE queue LIKE ANY($2)))" + RETURNING;
    private static final String TAKE_CHILDREN = "DELETE FROM jobyard.durable_wait WHERE type = 'invoke'"
            + " AND child_job_id = ANY($1)" + RETURNING;
    // Served by durable_wait_until_idx; SKIP LOCKED so that two leaders in doubt never wait on each other.
    private static final String TAKE_DUE = """
            DELETE FROM jobyard.durable_wait w
             USING (SELECT job_id AS due_id FROM jobyard.durable_wait
                     WHERE until <= now() AND until IS NOT NULL AND type <> 'sleep'
                     ORDER BY until LIMIT $1 FOR UPDATE SKIP LOCKED) d
             WHERE w.job_id = d.due_id""" + RETURNING;
    private static final String DROP = "DELETE FROM jobyard.durable_wait WHERE job_id = ANY($1)" + RETURNING;
    private static final String FIND = "SELECT job_id, type, key, until, event_name, child_job_id, table_name, operation,"
            + " columns FROM jobyard.durable_wait WHERE job_id = ANY($1)";

    private final Sql sql;

    WaitStore(Sql sql) {
        this.sql = sql;
    }

    /** Records what job {@code w.jobId()} waits for; {@code timeoutMillis} null waits forever. */
    public void record(Sql.Tx tx, Wait w, Long timeoutMillis) {
        tx.query(RECORD, Tuple.from(Arrays.asList(w.jobId(), w.type(), w.key(), timeoutMillis, w.eventName(),
                w.childJobId(), w.tableName(), w.operation(),
                w.columns() == null ? null : w.columns().toArray(String[]::new))));
    }

    /** Takes every wait for event {@code name}. */
    /** Takes the waits for event {@code name}; of jobs in queues matching {@code queueLikes} only, unless null. */
    public List<Wait> takeEvent(Sql.Tx tx, String name, List<String> queueLikes) {
        return waits(tx.query(TAKE_EVENT, Tuple.of(name, queueLikes == null ? null : queueLikes.toArray(String[]::new))));
    }

    /** Takes the waits of parents for these children. */
    public List<Wait> takeChildren(Sql.Tx tx, List<Long> childIds) {
        return childIds.isEmpty() ? List.of() : waits(tx.query(TAKE_CHILDREN, Tuple.of((Object) childIds.toArray(Long[]::new))));
    }

    /** Takes up to {@code limit} timed waits whose time has passed. */
    public List<Wait> takeDue(Sql.Tx tx, int limit) {
        return waits(tx.query(TAKE_DUE, Tuple.of(limit)));
    }

    /** Removes the waits of jobs that ended. */
    public List<Wait> drop(Sql.Tx tx, List<Long> jobIds) {
        return jobIds.isEmpty() ? List.of() : waits(tx.query(DROP, Tuple.of((Object) jobIds.toArray(Long[]::new))));
    }

    /** The waits of these jobs, by job id. */
    public Map<Long, Wait> find(List<Long> jobIds) {
        Map<Long, Wait> found = new HashMap<>();
        if (!jobIds.isEmpty()) {
            for (Wait w : waits(sql.query(FIND, Tuple.of((Object) jobIds.toArray(Long[]::new))))) {
                found.put(w.jobId(), w);
            }
        }
        return found;
    }

    private static List<Wait> waits(RowSet<Row> rows) {
        List<Wait> waits = new ArrayList<>(rows.size());
        for (Row row : rows) {
            String[] columns = row.getArrayOfStrings("columns");
            waits.add(new Wait(row.getLong("job_id"), row.getString("type"), row.getString("key"),
                    row.getOffsetDateTime("until"), row.getString("event_name"), row.getLong("child_job_id"),
                    row.getString("table_name"), row.getString("operation"),
                    columns == null ? null : List.of(columns)));
        }
        return waits;
    }
}
