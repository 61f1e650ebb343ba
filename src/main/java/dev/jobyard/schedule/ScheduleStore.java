package dev.jobyard.schedule;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.database.Sql;
import dev.jobyard.schedule.expression.ScheduleKind;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/** Every statement on {@code schedule} and {@code schedule_slot}. */
@ApplicationScoped
public class ScheduleStore {

    private static final String COLUMNS = """
            id, name, description, expression, kind, timezone, job_kind, job_payload, job_queue, job_priority,
            job_max_attempts, job_timeout_seconds, status, max_instances, self_destruct, exclusive, misfire_policy,
            anchor_at, created_at, updated_at, last_run_at, next_run_at, error""";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM jobyard.schedule";

    private static final String INSERT = """
            INSERT INTO jobyard.schedule (name, description, expression, kind, timezone, job_kind, job_payload, job_queue,
                    job_priority, job_max_attempts, job_timeout_seconds, status, max_instances, self_destruct, exclusive,
                    misfire_policy, anchor_at, next_run_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
            RETURNING\s""" + COLUMNS;

    private static final String UPDATE = """
            UPDATE jobyard.schedule SET name = $2, description = $3, expression = $4, kind = $5, timezone = $6,
                   job_kind = $7, job_payload = $8, job_queue = $9, job_priority = $10, job_max_attempts = $11,
                   job_timeout_seconds = $12, max_instances = $13, self_destruct = $14, exclusive = $15,
                   misfire_policy = $16, anchor_at = $17, next_run_at = $18, status = $19, error = NULL,
                   updated_at = now()
             WHERE id = $1
            RETURNING\s""" + COLUMNS;

    private static final String SET_STATUS = """
            UPDATE jobyard.schedule SET status = $2, next_run_at = $3, updated_at = now() WHERE id = $1
            RETURNING\s""" + COLUMNS;

    private static final String LOCK = SELECT + " WHERE id = $1 FOR UPDATE";
    private static final String LOCK_ALL = SELECT + " WHERE status = $1 ORDER BY id FOR UPDATE";
    private static final String DELETE = "WITH slots AS (DELETE FROM jobyard.schedule_slot WHERE schedule_id = $1)"
            + " DELETE FROM jobyard.schedule WHERE id = $1 RETURNING " + COLUMNS;

    // Due schedules; one firer at a time takes each (a second leader skips what the first holds). $2 are
    // schedules whose firing failed a moment ago: they wait, so that they do not hold up the others.
    private static final String LOCK_DUE = SELECT + " WHERE status = 'ACTIVE' AND next_run_at <= now()"
            + " AND id <> ALL($2::bigint[]) ORDER BY next_run_at LIMIT $1 FOR UPDATE SKIP LOCKED";
    // The @reboot schedules a term still owes a slot: active, made before the term began (one made during a
    // term waits for the next), and without a slot at the term's start. Persistent, so a restart in the same
    // term, or a retry after a failure, never fires one twice.
    private static final String REBOOT_PENDING = """
            SELECT s.id FROM jobyard.schedule s
             WHERE s.status = 'ACTIVE' AND s.kind = 'REBOOT' AND s.anchor_at < $1
               AND NOT EXISTS (SELECT 1 FROM jobyard.schedule_slot t WHERE t.schedule_id = s.id AND t.slot_at = $1)
             ORDER BY s.id""";
    private static final String LOCK_REBOOT = SELECT
            + " WHERE id = $1 AND status = 'ACTIVE' AND kind = 'REBOOT' FOR UPDATE SKIP LOCKED";
    private static final String SET_ASIDE = """
            UPDATE jobyard.schedule SET status = 'BROKEN', error = $2, updated_at = now() WHERE id = $1
            RETURNING id, name""";
    private static final String ADVANCE = """
            UPDATE jobyard.schedule SET last_run_at = coalesce($2, last_run_at), next_run_at = $3, updated_at = now()
             WHERE id = $1""";
    private static final String UNTIL_NEXT_DUE = """
            SELECT (extract(epoch FROM min(next_run_at) - now()) * 1000)::bigint AS ms
              FROM jobyard.schedule WHERE status = 'ACTIVE' AND next_run_at IS NOT NULL""";

    private static final String INSERT_SLOT = """
            INSERT INTO jobyard.schedule_slot (schedule_id, slot_at, outcome, job_id, reason) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT DO NOTHING RETURNING slot_at""";
    private static final String ACTIVE_JOBS = "SELECT count(*) AS n FROM jobyard.job WHERE schedule_id = $1";

    // A self-destructing schedule goes once one of its jobs has completed.
    private static final String SELF_DESTRUCT = """
            DELETE FROM jobyard.schedule s WHERE s.self_destruct
               AND EXISTS (SELECT 1 FROM jobyard.job_history h WHERE h.schedule_id = s.id AND h.status = 'COMPLETED')
            RETURNING\s""" + COLUMNS;

    private static final String STATS = """
            SELECT (SELECT count(*) FROM jobyard.schedule_slot WHERE schedule_id = $1 AND outcome = 'FIRED') AS runs,
                   (SELECT count(*) FROM jobyard.schedule_slot WHERE schedule_id = $1 AND outcome = 'SKIPPED') AS skips,
                   count(*) FILTER (WHERE status = 'COMPLETED') AS successes,
                   count(*) FILTER (WHERE status = 'FAILED') AS failures,
                   avg(duration_ms) FILTER (WHERE status = 'COMPLETED') AS mean_ms,
                   percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) FILTER (WHERE status = 'COMPLETED') AS p95_ms,
                   (SELECT error FROM jobyard.job_history WHERE schedule_id = $1 AND status = 'FAILED'
                     ORDER BY completed_at DESC LIMIT 1) AS last_error
              FROM jobyard.job_history WHERE schedule_id = $1""";

    private final Sql sql;

    ScheduleStore(Sql sql) {
        this.sql = sql;
    }

    public OffsetDateTime now(Sql.Tx tx) {
        return tx.query("SELECT now() AS now").iterator().next().getOffsetDateTime("now");
    }

    public OffsetDateTime now() {
        return sql.query("SELECT now() AS now").iterator().next().getOffsetDateTime("now");
    }

    public Schedule insert(Sql.Tx tx, Schedule s) {
        return one(tx.query(INSERT, Tuple.from(Arrays.asList(s.name(), s.description(), s.expression(), s.kind().name(),
                s.timezone(), s.job().kind(), s.job().payload(), s.job().queue(), s.job().priority(),
                s.job().maxAttempts(), s.job().timeoutSeconds(), s.status().name(), s.maxInstances(), s.selfDestruct(),
                s.exclusive(), s.misfirePolicy().name(), s.anchorAt(), s.nextRunAt())))).orElseThrow();
    }

    public Schedule update(Sql.Tx tx, Schedule s) {
        return one(tx.query(UPDATE, Tuple.from(Arrays.asList(s.id(), s.name(), s.description(), s.expression(),
                s.kind().name(), s.timezone(), s.job().kind(), s.job().payload(), s.job().queue(), s.job().priority(),
                s.job().maxAttempts(), s.job().timeoutSeconds(), s.maxInstances(), s.selfDestruct(), s.exclusive(),
                s.misfirePolicy().name(), s.anchorAt(), s.nextRunAt(), s.status().name())))).orElseThrow();
    }

    public Schedule setStatus(Sql.Tx tx, long id, ScheduleStatus status, OffsetDateTime nextRunAt) {
        return one(tx.query(SET_STATUS, Tuple.of(id, status.name(), nextRunAt))).orElseThrow();
    }

    public Optional<Schedule> lock(Sql.Tx tx, long id) {
        return one(tx.query(LOCK, Tuple.of(id)));
    }

    public List<Schedule> lockAllWithStatus(Sql.Tx tx, ScheduleStatus status) {
        return all(tx.query(LOCK_ALL, Tuple.of(status.name())));
    }

    public Optional<Schedule> delete(Sql.Tx tx, long id) {
        return one(tx.query(DELETE, Tuple.of(id)));
    }

    public Optional<Schedule> find(long id) {
        return one(sql.query(SELECT + " WHERE id = $1", Tuple.of(id)));
    }

    public Optional<Schedule> findByName(String name) {
        return one(sql.query(SELECT + " WHERE name = $1", Tuple.of(name)));
    }

    public List<Schedule> list(ScheduleStatus status, long afterId, int limit) {
        return all(sql.query(SELECT + " WHERE ($1::text IS NULL OR status = $1) AND id > $2 ORDER BY id LIMIT $3",
                Tuple.from(Arrays.asList(status == null ? null : status.name(), afterId, limit))));
    }

    public List<Schedule> listActive() {
        return all(sql.query(SELECT + " WHERE status = 'ACTIVE' AND next_run_at IS NOT NULL ORDER BY next_run_at"));
    }

    // ---- the firer's path ----

    public List<Schedule> lockDue(Sql.Tx tx, int limit, Collection<Long> waiting) {
        return all(tx.query(LOCK_DUE, Tuple.of(limit, waiting.toArray(new Long[0]))));
    }

    /** Ids of the @reboot schedules that still owe the term that began at {@code termStart} its slot. */
    public List<Long> rebootPending(OffsetDateTime termStart) {
        List<Long> ids = new ArrayList<>();
        for (Row row : sql.query(REBOOT_PENDING, Tuple.of(termStart))) {
            ids.add(row.getLong("id"));
        }
        return ids;
    }

    /** The @reboot schedule, locked; empty when another transaction holds it, or it is gone or paused. */
    public Optional<Schedule> lockReboot(Sql.Tx tx, long id) {
        return one(tx.query(LOCK_REBOOT, Tuple.of(id)));
    }

    /** Marks a schedule that cannot be evaluated as BROKEN with its error; returns its name, if it exists. */
    public Optional<String> setAside(Sql.Tx tx, long id, String error) {
        for (Row row : tx.query(SET_ASIDE, Tuple.of(id, error))) {
            return Optional.of(row.getString("name"));
        }
        return Optional.empty();
    }

    public void advance(Sql.Tx tx, long id, OffsetDateTime lastRunAt, OffsetDateTime nextRunAt) {
        tx.query(ADVANCE, Tuple.of(id, lastRunAt, nextRunAt));
    }

    /** Claims a slot; false when it was claimed before (fired or skipped), by this replica or another. */
    public boolean claimSlot(Sql.Tx tx, long scheduleId, OffsetDateTime slotAt, boolean fired, Long jobId, String reason) {
        return tx.query(INSERT_SLOT, Tuple.from(Arrays.asList(scheduleId, slotAt, fired ? "FIRED" : "SKIPPED", jobId,
                reason))).size() == 1;
    }

    public long activeJobs(Sql.Tx tx, long scheduleId) {
        return tx.query(ACTIVE_JOBS, Tuple.of(scheduleId)).iterator().next().getLong("n");
    }

    /** Milliseconds until the earliest active schedule is due, by the database clock; empty if none is. */
    public Optional<Long> untilNextDue() {
        Row row = sql.query(UNTIL_NEXT_DUE).iterator().next();
        return Optional.ofNullable(row.getLong("ms"));
    }

    public List<Schedule> deleteSelfDestructed(Sql.Tx tx) {
        return all(tx.query(SELF_DESTRUCT));
    }

    public record Stats(long runs, long successes, long failures, long skips, Double meanDurationMs,
            Double p95DurationMs, String lastError) {
    }

    public Stats stats(long scheduleId) {
        Row row = sql.query(STATS, Tuple.of(scheduleId)).iterator().next();
        return new Stats(row.getLong("runs"), row.getLong("successes"), row.getLong("failures"), row.getLong("skips"),
                row.getDouble("mean_ms"), row.getDouble("p95_ms"), row.getString("last_error"));
    }

    // ---- mapping ----

    private static Optional<Schedule> one(RowSet<Row> rows) {
        for (Row row : rows) {
            return Optional.of(toSchedule(row));
        }
        return Optional.empty();
    }

    private static List<Schedule> all(RowSet<Row> rows) {
        List<Schedule> list = new ArrayList<>(rows.size());
        for (Row row : rows) {
            list.add(toSchedule(row));
        }
        return list;
    }

    private static Schedule toSchedule(Row row) {
        // A payload that is not an object (a row changed by hand) maps to null: the firer sets such a schedule
        // aside, and reading it still works so that its error can be shown.
        Object payload = row.getValue("job_payload");
        JobTemplate job = new JobTemplate(row.getString("job_kind"), payload instanceof JsonObject o ? o : null,
                row.getString("job_queue"), row.getInteger("job_priority"), row.getInteger("job_max_attempts"),
                row.getInteger("job_timeout_seconds"));
        return new Schedule(row.getLong("id"), row.getString("name"), row.getString("description"),
                row.getString("expression"), ScheduleKind.valueOf(row.getString("kind")), row.getString("timezone"), job,
                ScheduleStatus.valueOf(row.getString("status")), row.getInteger("max_instances"),
                row.getBoolean("self_destruct"), row.getBoolean("exclusive"),
                MisfirePolicy.valueOf(row.getString("misfire_policy")), row.getOffsetDateTime("anchor_at"),
                row.getOffsetDateTime("created_at"), row.getOffsetDateTime("updated_at"),
                row.getOffsetDateTime("last_run_at"), row.getOffsetDateTime("next_run_at"), row.getString("error"));
    }
}
