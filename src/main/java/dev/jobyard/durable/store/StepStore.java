package dev.jobyard.durable.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.database.Sql;
import dev.jobyard.database.Statements;
import dev.jobyard.job.Fence;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Every statement on {@code durable_step}: the results saved by key. */
@ApplicationScoped
public class StepStore {

    // A replay's first statement: the saved results, and the sleep it may have woken from is no longer waited for.
    private static final String LOAD = """
            WITH slept AS (DELETE FROM jobyard.durable_wait WHERE job_id = $1 AND type = 'sleep')
            SELECT key, type, result::text AS result, timed_out, created_at FROM jobyard.durable_step
             WHERE job_id = $1 ORDER BY created_at, key""";

    // Saved only while the attempt holds its claim: FOR SHARE keeps the rescuer (or a cancel) from taking the row
    // until this commits. A result that another attempt saved first wins (ON CONFLICT), and is returned.
    private static final String SAVE_FENCED = """
            WITH fence AS (
                SELECT id FROM jobyard.job WHERE id = $1 AND attempt = $2 AND worker = $3 AND status = 'RUNNING'
                   AND lease_token = $4 FOR SHARE),
            ins AS (
                INSERT INTO jobyard.durable_step (job_id, key, type, result)
                SELECT $1, $5, $6, $7::text::jsonb FROM fence ON CONFLICT DO NOTHING RETURNING result::text AS result)
            SELECT (SELECT count(*) FROM fence) AS fenced, (SELECT count(*) FROM ins) AS inserted,
                   coalesce((SELECT result FROM ins),
                            (SELECT result::text FROM jobyard.durable_step WHERE job_id = $1 AND key = $5)) AS result""";

    private static final String SAVE_SLEEP = """
            INSERT INTO jobyard.durable_step (job_id, key, type, result)
            VALUES ($1, $2, 'sleep', jsonb_build_object('until', now() + $3 * interval '1 millisecond'))
            ON CONFLICT DO NOTHING""";

    // Results found by whatever woke parked jobs (timeouts): each (job, key) once.
    private static final String SAVE_TIMEOUTS = """
            INSERT INTO jobyard.durable_step (job_id, key, type, timed_out)
            SELECT * , true FROM unnest($1::bigint[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING""";

    private static final String SAVE_ALL = """
            INSERT INTO jobyard.durable_step (job_id, key, type, result)
            SELECT j, k, t, r::jsonb FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) AS u(j, k, t, r)
            ON CONFLICT DO NOTHING""";

    private final Sql sql;

    StepStore(Sql sql) {
        this.sql = sql;
    }

    /** The results job {@code jobId} saved, by key, oldest first. */
    public Map<String, Saved> load(long jobId) {
        Map<String, Saved> saved = new LinkedHashMap<>();
        for (Row row : sql.query(LOAD, Tuple.of(jobId))) {
            Saved s = saved(row);
            saved.put(s.key(), s);
        }
        return saved;
    }

    /** The results job {@code jobId} saved, oldest first (for the API). */
    public List<Saved> list(long jobId) {
        List<Saved> list = new ArrayList<>();
        for (Row row : sql.query("SELECT key, type, result::text AS result, timed_out, created_at FROM jobyard.durable_step"
                + " WHERE job_id = $1 ORDER BY created_at, key", Tuple.of(jobId))) {
            list.add(saved(row));
        }
        return list;
    }

    /** What saving a result found: whether this call saved it, and the result saved under the key either way. */
    public record Outcome(boolean inserted, String result) {
    }

    /** Saves {@code json} under {@code key} if the attempt still holds its claim; throws {@link LeaseLost} if not. */
    public Outcome saveFenced(Statements db, Fence fence, String key, String type, String json) {
        for (Row row : db.query(SAVE_FENCED, Tuple.from(Arrays.asList(fence.jobId(), fence.attempt(), fence.worker(),
                fence.token(), key, type, json)))) {
            if (row.getLong("fenced") == 0) {
                throw new LeaseLost(fence.jobId(), key);
            }
            return new Outcome(row.getLong("inserted") > 0, row.getString("result"));
        }
        throw new LeaseLost(fence.jobId(), key);
    }

    /** The end of a sleep that starts now, saved in the parking transaction. */
    public void saveSleep(Sql.Tx tx, long jobId, String key, long millis) {
        tx.query(SAVE_SLEEP, Tuple.of(jobId, key, millis));
    }

    /** A step row per wait that gave up: (job, key, type) as the wait had them. */
    public void saveTimeouts(Sql.Tx tx, List<Long> jobIds, List<String> keys, List<String> types) {
        if (!jobIds.isEmpty()) {
            tx.query(SAVE_TIMEOUTS, Tuple.of(jobIds.toArray(Long[]::new), keys.toArray(String[]::new),
                    types.toArray(String[]::new)));
        }
    }

    /** Results found for parked jobs by what woke them (an event, a child, a row change). */
    public void saveAll(Sql.Tx tx, List<Long> jobIds, List<String> keys, List<String> types, List<String> results) {
        if (!jobIds.isEmpty()) {
            tx.query(SAVE_ALL, Tuple.of(jobIds.toArray(Long[]::new), keys.toArray(String[]::new),
                    types.toArray(String[]::new), results.toArray(String[]::new)));
        }
    }

    private static Saved saved(Row row) {
        return new Saved(row.getString("key"), row.getString("type"), row.getString("result"),
                row.getBoolean("timed_out"), row.getOffsetDateTime("created_at"));
    }
}
