package dev.jobyard.job;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.config.JobyardConfig;
import dev.jobyard.config.LeaseTimes;
import dev.jobyard.database.JsonText;
import dev.jobyard.database.Sql;
import dev.jobyard.database.Statements;
import dev.jobyard.database.StorableText;
import dev.jobyard.event.EventChannel;
import dev.jobyard.event.JobEventSql;
import dev.jobyard.event.JobTable;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Every statement on {@code job}, {@code job_dependency}, {@code job_history} and {@code job_key}, except
 * retention's ({@code maintenance.RetentionStore}).
 * Each change to a running job is guarded by its {@link Fence}; each terminal state is written to
 * history in the same statement that removes the active row.
 */
@ApplicationScoped
public class JobStore implements JobTable {

    private static final String ACTIVE_COLUMNS = """
            id, queue, kind, name, description, payload::text AS payload, labels::text AS labels, priority, status, run_at,
            attempt, max_attempts, timeout_seconds, idempotency_key, dependencies::text AS dependencies,
            errors::text AS errors, error, NULL::text AS result, worker, retry_of,
            schedule_id, cancel_reason, created_at, started_at, NULL::timestamptz AS completed_at, updated_at,
            NULL::bigint AS duration_ms""";
    private static final String HISTORY_COLUMNS = """
            id, queue, kind, name, description, payload::text AS payload, labels::text AS labels, priority, status, run_at,
            attempt, max_attempts, timeout_seconds, idempotency_key, dependencies::text AS dependencies,
            errors::text AS errors, error, result::text AS result, worker, retry_of,
            schedule_id, NULL::text AS cancel_reason, created_at, started_at, completed_at, completed_at AS updated_at, duration_ms""";
    private static final String SELECT_ACTIVE = "SELECT " + ACTIVE_COLUMNS + " FROM jobyard.job";
    private static final String SELECT_HISTORY = "SELECT " + HISTORY_COLUMNS + " FROM jobyard.job_history";

    /** Appends {error, attempt, at} for the attempt that just ended; $E is the error parameter. */
    private static final String ERRORS_PLUS = "d.errors || jsonb_build_array(jsonb_build_object('attempt', d.attempt, 'error', %s::text, 'at', now()))";

    private static final String ALLOCATE_IDS = "SELECT nextval('jobyard.job_id_seq') AS id FROM generate_series(1, $1)";

    // Inserts a whole batch and announces it (PENDING events, as many a message as fit: see JobEventSql)
    // in one statement. Ids are either given (allocated earlier, for batches whose items reference
    // each other) or drawn here. The first $22 items may start at once for worker $21 (see StartAtCreate):
    // inserted as RUNNING under a lease, as the claim would have left them, and announced as claimed too.
    private static final String INSERT = """
            WITH items AS (
                SELECT u.*,
                       -- A job for a client name is left to the claim, which checks the replica's name.
                       CASE WHEN u.ord > $22 OR u.pending > 0 OR u.schedule_id IS NOT NULL OR u.exclusive OR u.due > now()
                                 OR u.client_name IS NOT NULL
                            THEN false
                            ELSE NOT EXISTS (SELECT 1 FROM jobyard.queue q WHERE q.name = u.queue AND q.paused) END AS started
                  FROM (SELECT u.*, coalesce(u.run_at, now() + u.delay_s * interval '1 second') AS due
                          FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                                      $8::int[], $9::timestamptz[], $10::bigint[], $11::int[], $12::int[], $13::text[],
                                      $14::text[], $15::int[], $16::bigint[], $17::bigint[], $18::boolean[], $20::boolean[],
                                      $25::text[], $26::text[])
                               WITH ORDINALITY AS u(id, queue, kind, name, description, payload, labels, priority, run_at,
                                    delay_s, max_attempts, timeout_s, ikey, deps, pending, retry_of, schedule_id, exclusive,
                                    depended_on, owner, client_name, ord)) u),
            inserted AS (
                INSERT INTO jobyard.job (id, queue, kind, name, description, payload, labels, priority, run_at,
                                         max_attempts, timeout_seconds, idempotency_key, dependencies, pending_deps,
                                         retry_of, schedule_id, exclusive, has_dependents, owner, client_name,
                                         status, attempt, worker, lease_expires_at, started_at, lease_token)
                SELECT coalesce(u.id, nextval('jobyard.job_id_seq')), u.queue, u.kind, u.name, u.description,
                       u.payload::jsonb, u.labels::jsonb, u.priority::smallint, u.due, u.max_attempts, u.timeout_s, u.ikey,
                       u.deps::jsonb, u.pending, u.retry_of, u.schedule_id, u.exclusive, coalesce(u.depended_on, false), u.owner,
                       u.client_name, CASE WHEN u.started THEN 'RUNNING' ELSE 'PENDING' END, CASE WHEN u.started THEN 1 ELSE 0 END,
                       CASE WHEN u.started THEN $21 END,
                       CASE WHEN u.started THEN now() + $23 * interval '1 millisecond' END,
                       CASE WHEN u.started THEN now() END, CASE WHEN u.started THEN 1 ELSE 0 END
                  FROM items u
                 ORDER BY u.ord
                RETURNING\s""" + ACTIVE_COLUMNS + """
                , pending_deps),
            announced AS (""" + JobEventSql.announce("inserted i").channel("$19").status("'PENDING'").attempt("0")
            .runAt("i.run_at").runnable("i.pending_deps = 0 AND i.status = 'PENDING'").sql() + """
            ),
            started AS (""" + JobEventSql.announce("""
                    -- After the PENDING events (the count is needed first), so that subscribers get them in order.
                    (SELECT inserted.* FROM inserted WHERE status = 'RUNNING' AND (SELECT count(*) FROM announced) >= 0) i""")
            .channel("$24").status("'RUNNING'").previous("'PENDING'").sql() + """
            )
            SELECT inserted.*, (SELECT count(*) FROM announced) + (SELECT count(*) FROM started) AS messages
              FROM inserted""";
    private static final String INSERT_DEPENDENCIES = """
            INSERT INTO jobyard.job_dependency (depends_on, job_id)
            SELECT * FROM unnest($1::bigint[], $2::bigint[]) ON CONFLICT DO NOTHING""";
    private static final String CLAIM_KEYS = """
            INSERT INTO jobyard.job_key (idempotency_key, job_id)
            SELECT * FROM unnest($1::text[], $2::bigint[]) ON CONFLICT DO NOTHING RETURNING idempotency_key""";
    private static final String FIND_KEYS = "SELECT idempotency_key, job_id FROM jobyard.job_key WHERE idempotency_key = ANY($1)";
    // Marks active dependencies as depended on, writing (and so locking exclusively) only the rows not marked
    // yet, in id order: the first dependent of a job pays for it, later ones only share the lock below.
    private static final String MARK_DEPENDED_ON = """
            WITH unmarked AS (SELECT id FROM jobyard.job WHERE id = ANY($1) AND NOT has_dependents ORDER BY id
                              FOR NO KEY UPDATE)
            UPDATE jobyard.job j SET has_dependents = true FROM unmarked WHERE j.id = unmarked.id""";
    // KEY SHARE blocks a concurrent delete (completion, failure) of the dependency until we commit, so
    // the unblock or cascade that follows the delete, in a later statement, sees our new edges.
    private static final String LOCK_ACTIVE = "SELECT id FROM jobyard.job WHERE id = ANY($1) FOR KEY SHARE";
    private static final String ARCHIVED_STATUS = "SELECT id, status FROM jobyard.job_history WHERE id = ANY($1)";

    // One statement, so one round trip and no transaction held open: it claims, and announces the
    // RUNNING events on the watch channel with NOTIFY (see JobEventSql, which keeps each below the 8000-byte
    // payload cap). A statement is atomic, so the events go out exactly when the claim commits.
    private static final String CLAIM = """
            WITH picked AS (
                SELECT id FROM jobyard.job
                 WHERE queue = $1 AND status = 'PENDING' AND pending_deps = 0 AND run_at <= now()
                   AND NOT EXISTS (SELECT 1 FROM jobyard.queue q WHERE q.name = $1 AND q.paused)
                   -- Schedules' exclusive option: while an exclusive job runs no other scheduled job
                   -- starts, and an exclusive job starts only when no scheduled job runs.
                   AND (schedule_id IS NULL OR NOT EXISTS (
                        SELECT 1 FROM jobyard.job r WHERE r.schedule_id IS NOT NULL AND r.status = 'RUNNING'
                           AND (r.exclusive OR job.exclusive)))
                   -- Chain runs for a client name go only to replicas of that name ($6, jobyard.client-name);
                   -- NULL for every other job.
                   AND (client_name IS NULL OR client_name = $6)
                 ORDER BY priority DESC, run_at, id
                 LIMIT $2
                   FOR UPDATE SKIP LOCKED),
            claimed AS (
                UPDATE jobyard.job j
                   SET status = 'RUNNING', attempt = j.attempt + 1, worker = $3, lease_token = j.lease_token + 1,
                       lease_expires_at = now() + $4 * interval '1 millisecond', started_at = now(), updated_at = now()
                  FROM picked
                 WHERE j.id = picked.id
                RETURNING j.id, j.queue, j.kind, j.name, j.payload::text AS payload, j.labels::text AS labels, j.attempt,
                          j.max_attempts, j.timeout_seconds, j.lease_token,
                          -- An owned job's end moves its workflow on (a flow's next step, a durable parent), in the
                          -- transaction that writes it: like a job with dependents, its success is written ahead.
                          j.priority, j.run_at, j.has_dependents OR j.owner IS NOT NULL AS has_dependents),
            announced AS (""" + JobEventSql.announce("claimed i").channel("$5").status("'RUNNING'").previous("'PENDING'")
            .sql() + """
            )
            SELECT claimed.*, (SELECT count(*) FROM announced) AS messages FROM claimed""";

    private static final String ARCHIVE = """
            , archived AS (
                INSERT INTO jobyard.job_history (id, queue, kind, name, description, payload, labels, priority, status,
                        run_at, attempt, max_attempts, timeout_seconds, idempotency_key, dependencies, errors, error,
                        result, worker, retry_of, schedule_id, created_at, started_at, completed_at, duration_ms, owner)
                SELECT d.id, d.queue, d.kind, d.name, d.description, d.payload, d.labels, d.priority, %s, d.run_at,
                       d.attempt, d.max_attempts, d.timeout_seconds, d.idempotency_key, d.dependencies, %s, %s, %s,
                       d.worker, d.retry_of, d.schedule_id, d.created_at, d.started_at, now(),
                       CASE WHEN d.status = 'RUNNING' THEN (extract(epoch FROM now() - d.started_at) * 1000)::bigint END,
                       d.owner
                  FROM done d
                RETURNING id, queue, kind, attempt, status, error, schedule_id, owner)
            SELECT * FROM archived""";

    // Fenced batch writes (COMPLETE, RENEW_LEASES) select rows by id = ANY and find each row's attempt with
    // array_position, not by joining unnest(ids, attempts): for the join, the planner estimates how many jobs
    // run from statistics usually taken while none did (a burst enqueued, analyzed, then run), and with one
    // "running" row estimated it put the batch on the inner side of a nested loop: 17,440 running jobs
    // times 500 results, 9 s a batch. This shape has one plan, linear in the table or the batch; the lookup
    // is quadratic in the batch only, which the callers bound.

    // Successes of one batch: archived as COMPLETED and announced (see JobEventSql), one statement.
    // Only ends of scheduled jobs concern the engine (exclusive, self-destruct); the rest go to the watch channel.
    private static final String COMPLETE = """
            WITH done AS (
                DELETE FROM jobyard.job j
                 WHERE j.id = ANY($1::bigint[]) AND j.worker = $4 AND j.status = 'RUNNING'
                   AND j.attempt = ($2::int[])[array_position($1::bigint[], j.id)]
                   AND j.lease_token = ($7::bigint[])[array_position($1::bigint[], j.id)]
                RETURNING j.*, (($3::text[])[array_position($1::bigint[], j.id)])::jsonb AS out)""" + ARCHIVE.formatted("'COMPLETED'", "d.errors", "NULL", "d.out")
            .replace("SELECT * FROM archived", """
            , announced AS (""" + JobEventSql.announce("archived i").channel("CASE WHEN bool_or(e.sid IS NOT NULL) THEN $5 ELSE $6 END")
                    .status("'COMPLETED'").previous("'RUNNING'").scheduleId("i.schedule_id").sql() + """
            )
            SELECT archived.*, (SELECT count(*) FROM announced) AS messages FROM archived""");

    private static final String FINISH_RUNNING = """
            WITH done AS (
                DELETE FROM jobyard.job j WHERE j.id = $1 AND j.attempt = $2 AND j.worker = $3 AND j.status = 'RUNNING'
                   AND j.lease_token = $6
                RETURNING j.*)""" + ARCHIVE.formatted("$4", ERRORS_PLUS.formatted("$5"), "$5", "NULL");

    // WAITING jobs (parked durable tasks) hold no worker either: they end at once like pending ones.
    private static final String CANCEL_PENDING = """
            WITH done AS (
                DELETE FROM jobyard.job j WHERE j.id = $1 AND j.status IN ('PENDING', 'WAITING') RETURNING j.*),
            links AS (DELETE FROM jobyard.job_dependency l USING done WHERE l.job_id = done.id)""" + ARCHIVE
            .formatted("'CANCELLED'", "d.errors", "$2", "NULL");

    // Cascades from the given roots down every dependency edge; each victim names the root it came from.
    private static final String CANCEL_DEPENDENTS = """
            WITH RECURSIVE roots(id, status) AS (SELECT * FROM unnest($1::bigint[], $2::text[])),
            down(id, root) AS (
                SELECT l.job_id, l.depends_on FROM jobyard.job_dependency l JOIN roots r ON l.depends_on = r.id
                UNION
                SELECT l.job_id, down.root FROM jobyard.job_dependency l JOIN down ON l.depends_on = down.id),
            victims AS (SELECT DISTINCT ON (id) id, root FROM down ORDER BY id, root),
            done AS (
                DELETE FROM jobyard.job j USING victims v, roots r
                 WHERE j.id = v.id AND r.id = v.root AND j.status = 'PENDING'
                RETURNING j.*, 'dependency ' || v.root || ' ended ' || r.status AS reason),
            links AS (DELETE FROM jobyard.job_dependency l USING done WHERE l.job_id = done.id)""" + ARCHIVE
            .formatted("'CANCELLED'", "d.errors", "d.reason", "NULL");

    // Owned-job variants that never wait for a row another transaction holds: a workflow cancelling the jobs of a
    // run holds the run's lock, and the transaction holding one of those jobs may be waiting for that same lock
    // (it archives the job and tells its owner). The caller deals with the rows skipped once it has committed.
    private static final String CANCEL_PENDING_NOWAIT = """
            WITH free AS (SELECT id FROM jobyard.job WHERE id = ANY($1) AND status = 'PENDING' FOR UPDATE SKIP LOCKED),
            done AS (DELETE FROM jobyard.job j USING free WHERE j.id = free.id RETURNING j.*),
            links AS (DELETE FROM jobyard.job_dependency l USING done WHERE l.job_id = done.id)""" + ARCHIVE
            .formatted("'CANCELLED'", "d.errors", "$2", "NULL");
    private static final String REQUEST_CANCEL_NOWAIT = """
            UPDATE jobyard.job j SET cancel_reason = $2, updated_at = now()
              FROM (SELECT id FROM jobyard.job WHERE id = ANY($1) AND status = 'RUNNING' AND cancel_reason IS NULL
                    FOR NO KEY UPDATE SKIP LOCKED) free
             WHERE j.id = free.id
            RETURNING j.id""";

    private static final String RELEASE_DEPENDENTS = """
            WITH released AS (DELETE FROM jobyard.job_dependency WHERE depends_on = ANY($1) RETURNING job_id),
            counts AS (SELECT job_id, count(*)::int AS n FROM released GROUP BY job_id),
            -- Completers write in parallel; a job waiting on several of their jobs is locked in id order
            -- by each, so two of them cannot deadlock over a pair of such jobs.
            locked AS (SELECT w.id FROM jobyard.job w JOIN counts ON w.id = counts.job_id ORDER BY w.id FOR UPDATE OF w)
            UPDATE jobyard.job j SET pending_deps = j.pending_deps - counts.n, updated_at = now()
              FROM counts, locked WHERE j.id = counts.job_id AND locked.id = j.id
            RETURNING j.id, j.queue, j.kind, j.attempt, j.run_at, j.pending_deps""";

    private static final String RETRY = """
            UPDATE jobyard.job d
               SET status = 'PENDING', run_at = now() + $4 * interval '1 millisecond', worker = NULL,
                   lease_expires_at = NULL, error = $5, errors = %s, updated_at = now()
             WHERE d.id = $1 AND d.attempt = $2 AND d.worker = $3 AND d.status = 'RUNNING' AND d.cancel_reason IS NULL
               AND d.lease_token = $6
            RETURNING d.id, d.queue, d.kind, d.attempt, d.run_at""".formatted(ERRORS_PLUS.formatted("$5"));

    // Graceful hand-back: the attempt did not really happen, so it is not counted.
    private static final String HAND_BACK = """
            UPDATE jobyard.job
               SET status = 'PENDING', attempt = attempt - 1, worker = NULL, lease_expires_at = NULL, started_at = NULL,
                   updated_at = now()
             WHERE id = $1 AND attempt = $2 AND worker = $3 AND status = 'RUNNING' AND cancel_reason IS NULL
               AND lease_token = $4
            RETURNING id, queue, kind, attempt, run_at""";

    // A durable task's hang-up: like a hand-back the attempt does not count, but the job is parked as $5
    // (PENDING, runnable after $6 ms, or WAITING, which no claim takes).
    private static final String HANG_UP = """
            UPDATE jobyard.job
               SET status = $5, attempt = attempt - 1, worker = NULL, lease_expires_at = NULL, started_at = NULL,
                   run_at = now() + $6 * interval '1 millisecond', updated_at = now()
             WHERE id = $1 AND attempt = $2 AND worker = $3 AND status = 'RUNNING' AND cancel_reason IS NULL
               AND lease_token = $4
            RETURNING id, queue, kind, attempt, run_at""";

    // Ends a parked job (WAITING, or PENDING and not running) for a reason found outside it: a durable
    // task whose child failed.
    private static final String END_PARKED = """
            WITH done AS (
                DELETE FROM jobyard.job j WHERE j.id = $1 AND j.status IN ('PENDING', 'WAITING') RETURNING j.*),
            links AS (DELETE FROM jobyard.job_dependency l USING done WHERE l.job_id = done.id)""" + ARCHIVE
            .formatted("$2", ERRORS_PLUS.formatted("$3"), "$3", "NULL");

    // A parked job's wait was resolved (an event, a child, a timeout): it may run now. Rows in id order, so two
    // wakers cannot deadlock over the same jobs.
    private static final String WAKE = """
            WITH w AS (SELECT id FROM jobyard.job WHERE id = ANY($1) AND status = 'WAITING' ORDER BY id FOR UPDATE)
            UPDATE jobyard.job j SET status = 'PENDING', run_at = now(), updated_at = now() FROM w WHERE j.id = w.id
            RETURNING j.id, j.queue, j.kind, j.attempt, j.run_at""";

    // A cancel asked while the attempt was ending (failing, handed back) must not be lost to a retry.
    private static final String FINISH_CANCEL_REQUESTED = """
            WITH done AS (
                DELETE FROM jobyard.job j WHERE j.id = $1 AND j.attempt = $2 AND j.worker = $3 AND j.status = 'RUNNING'
                   AND j.lease_token = $4 AND j.cancel_reason IS NOT NULL
                RETURNING j.*)""" + ARCHIVE.formatted("'CANCELLED'", ERRORS_PLUS.formatted("d.cancel_reason"), "d.cancel_reason", "NULL");

    private static final String RENEW_LEASES = """
            UPDATE jobyard.job j SET lease_expires_at = now() + $3 * interval '1 millisecond'
             WHERE j.id = ANY($1::bigint[]) AND j.worker = $4 AND j.status = 'RUNNING'
               AND j.attempt = ($2::int[])[array_position($1::bigint[], j.id)]
               AND j.lease_token = ($5::bigint[])[array_position($1::bigint[], j.id)]
            RETURNING j.id, j.lease_token, j.cancel_reason""";
    private static final int RENEW_CHUNK = 1000;

    private static final String EXPIRED_LEASES = """
            SELECT id, queue, kind, attempt, max_attempts, worker, lease_token, cancel_reason FROM jobyard.job
             WHERE lease_expires_at < now() AND status = 'RUNNING'
             ORDER BY lease_expires_at LIMIT $1 FOR UPDATE SKIP LOCKED""";

    private static final String REQUEST_CANCEL = """
            UPDATE jobyard.job SET cancel_reason = $2, updated_at = now() WHERE id = $1 AND status = 'RUNNING'
            RETURNING id""";

    // What NOTIFY said, checked against the tables (see EventConfirmations): one statement for all events heard.
    private static final String EVENT_ROWS = """
            SELECT id, queue, kind, status, attempt, error, errors::text AS errors, schedule_id FROM jobyard.job
             WHERE id = ANY($1)
            UNION ALL
            SELECT id, queue, kind, status, attempt, error, errors::text AS errors, schedule_id FROM jobyard.job_history
             WHERE id = ANY($1)""";
    private static final String CANCELS_REQUESTED = """
            SELECT id, cancel_reason FROM jobyard.job
             WHERE id = ANY($1) AND worker = $2 AND status = 'RUNNING' AND cancel_reason IS NOT NULL""";

    private static final String FIND_ALL = SELECT_ACTIVE + " WHERE id = ANY($1) UNION ALL " + SELECT_HISTORY
            + " WHERE id = ANY($1)";

    private final Sql sql;
    private final String clientName;
    private final LeaseTimes leases;

    JobStore(Sql sql, JobyardConfig config) {
        this.sql = sql;
        this.leases = LeaseTimes.of(config);
        this.clientName = config.clientName().orElse(null);
    }

    // ---- creation ----

    public List<Long> allocateIds(Sql.Tx tx, int count) {
        List<Long> ids = new ArrayList<>(count);
        for (Row row : tx.query(ALLOCATE_IDS, Tuple.of(count))) {
            ids.add(row.getLong("id"));
        }
        return ids;
    }

    /**
     * Records the idempotency keys of new jobs. Returns, for each key that already existed, the job it
     * belongs to; those items must not be created.
     */
    public Map<String, Long> claimKeys(Sql.Tx tx, List<String> keys, List<Long> ids) {
        if (keys.isEmpty()) {
            return Map.of();
        }
        var claimed = new java.util.HashSet<String>();
        for (Row row : tx.query(CLAIM_KEYS, Tuple.of(keys.toArray(String[]::new), ids.toArray(Long[]::new)))) {
            claimed.add(row.getString("idempotency_key"));
        }
        Map<String, Long> existing = new HashMap<>();
        List<String> taken = keys.stream().filter(k -> !claimed.contains(k)).toList();
        if (!taken.isEmpty()) {
            for (Row row : tx.query(FIND_KEYS, Tuple.of(taken.toArray(String[]::new)))) {
                existing.put(row.getString("idempotency_key"), row.getLong("job_id"));
            }
        }
        return existing;
    }

    /**
     * Status of each id: active ones as PENDING (marked as depended on, and locked against deletion until
     * commit), archived ones as stored.
     */
    public Map<Long, JobStatus> lockDependencies(Sql.Tx tx, List<Long> ids) {
        Map<Long, JobStatus> found = new HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        Long[] array = ids.toArray(Long[]::new);
        tx.query(MARK_DEPENDED_ON, Tuple.of((Object) array));
        for (Row row : tx.query(LOCK_ACTIVE, Tuple.of((Object) array))) {
            found.put(row.getLong("id"), JobStatus.PENDING);
        }
        Long[] rest = ids.stream().filter(id -> !found.containsKey(id)).toArray(Long[]::new);
        if (rest.length > 0) {
            for (Row row : tx.query(ARCHIVED_STATUS, Tuple.of((Object) rest))) {
                found.put(row.getLong("id"), JobStatus.valueOf(row.getString("status")));
            }
        }
        return found;
    }

    /**
     * Inserts jobs whose dependencies were checked, announces them, and returns them as stored, in the
     * order given. {@code ids} may be null (ids are drawn here) unless jobs depend on each other;
     * {@code unfinished} holds each job's unfinished dependency ids.
     */
    public List<Job> insert(Statements db, List<Long> ids, List<NewJob> jobs, List<List<Long>> unfinished) {
        return insert(db, ids, jobs, unfinished, StartAtCreate.NONE);
    }

    /** As {@link #insert(Statements, List, List, List)}; the first {@code start.count()} runnable items start at once. */
    public List<Job> insert(Statements db, List<Long> ids, List<NewJob> jobs, List<List<Long>> unfinished,
            StartAtCreate start) {
        int n = jobs.size();
        // Items that other items of this batch wait for (their dependents are inserted with them).
        java.util.Set<Long> dependedOn = new java.util.HashSet<>();
        unfinished.forEach(dependedOn::addAll);
        Object[][] cols = new Object[21][n];
        for (int i = 0; i < n; i++) {
            NewJob job = jobs.get(i);
            cols[0][i] = ids == null ? null : ids.get(i);
            cols[1][i] = job.queue();
            cols[2][i] = job.kind();
            cols[3][i] = job.name();
            cols[4][i] = job.description();
            cols[5][i] = job.payload().encode();
            cols[6][i] = job.labels().encode();
            cols[7][i] = job.priority();
            cols[8][i] = job.runAt();
            cols[9][i] = job.delaySeconds();
            cols[10][i] = job.maxAttempts();
            cols[11][i] = job.timeoutSeconds();
            cols[12][i] = job.idempotencyKey();
            cols[13][i] = new JsonArray(new ArrayList<>(job.dependencies())).encode();
            cols[14][i] = unfinished.get(i).size();
            cols[15][i] = job.retryOf();
            cols[16][i] = job.scheduleId();
            cols[17][i] = job.exclusive();
            cols[18][i] = ids != null && dependedOn.contains(ids.get(i));
            cols[19][i] = job.owner();
            cols[20][i] = job.clientName();
        }
        Tuple args = Tuple.from(Arrays.asList(
                Arrays.copyOf(cols[0], n, Long[].class), Arrays.copyOf(cols[1], n, String[].class),
                Arrays.copyOf(cols[2], n, String[].class), Arrays.copyOf(cols[3], n, String[].class),
                Arrays.copyOf(cols[4], n, String[].class), Arrays.copyOf(cols[5], n, String[].class),
                Arrays.copyOf(cols[6], n, String[].class), Arrays.copyOf(cols[7], n, Integer[].class),
                Arrays.copyOf(cols[8], n, OffsetDateTime[].class), Arrays.copyOf(cols[9], n, Long[].class),
                Arrays.copyOf(cols[10], n, Integer[].class), Arrays.copyOf(cols[11], n, Integer[].class),
                Arrays.copyOf(cols[12], n, String[].class), Arrays.copyOf(cols[13], n, String[].class),
                Arrays.copyOf(cols[14], n, Integer[].class), Arrays.copyOf(cols[15], n, Long[].class),
                Arrays.copyOf(cols[16], n, Long[].class), Arrays.copyOf(cols[17], n, Boolean[].class),
                EventChannel.NAME, Arrays.copyOf(cols[18], n, Boolean[].class), start.worker(), start.count(),
                start.leaseMillis(), EventChannel.WATCH, Arrays.copyOf(cols[19], n, String[].class),
                Arrays.copyOf(cols[20], n, String[].class)));
        List<Job> created = new ArrayList<>(jobs(db.queryPlannedOnce(INSERT, args)));
        if (ids == null) {
            // Drawn in the order given; do not rely on the order RETURNING happens to use.
            created.sort(java.util.Comparator.comparingLong(Job::id));
        }
        List<Long> from = new ArrayList<>();
        List<Long> to = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (Long dep : unfinished.get(i)) {
                if (ids == null) {
                    throw new IllegalArgumentException("jobs with dependencies need their ids allocated first");
                }
                from.add(dep);
                to.add(ids.get(i));
            }
        }
        if (!from.isEmpty()) {
            db.query(INSERT_DEPENDENCIES, Tuple.of(from.toArray(Long[]::new), to.toArray(Long[]::new)));
        }
        return created;
    }

    // ---- the worker's path ----

    /** Claims up to {@code limit} runnable jobs of {@code queue} for {@code worker} and announces them. */
    public List<ClaimedJob> claim(String queue, int limit, String worker, long leaseMillis) {
        RowSet<Row> rows = sql.queryWithin(leases.statementTimeout(), CLAIM,
                Tuple.of(queue, limit, worker, leaseMillis, EventChannel.WATCH, clientName));
        List<ClaimedJob> claimed = new ArrayList<>(rows.size());
        for (Row row : rows) {
            claimed.add(new ClaimedJob(row.getLong("id"), row.getString("queue"), row.getString("kind"),
                    row.getString("name"), jsonObject(row, "payload"), jsonObject(row, "labels"),
                    row.getInteger("attempt"), row.getInteger("max_attempts"), row.getInteger("timeout_seconds"),
                    worker, row.getLong("lease_token"), row.getInteger("priority"), row.getOffsetDateTime("run_at"),
                    row.getBoolean("has_dependents")));
        }
        return claimed;
    }

    /** A successful attempt: archived as COMPLETED when its fence still holds. */
    public record Completion(Fence fence, JsonObject result) {
    }

    /** Archives the successes whose fence holds, and announces them; returns those archived. */
    public List<JobChange> complete(Sql.Tx tx, String worker, List<Completion> completions) {
        completions = byJobId(completions, c -> c.fence().jobId());
        int n = completions.size();
        Long[] ids = new Long[n];
        Integer[] attempts = new Integer[n];
        Long[] tokens = new Long[n];
        String[] results = new String[n];
        for (int i = 0; i < n; i++) {
            Completion c = completions.get(i);
            ids[i] = c.fence().jobId();
            attempts[i] = c.fence().attempt();
            tokens[i] = c.fence().token();
            results[i] = StorableText.json(c.result());
        }
        // The hot path's bound, for this statement and the rest of the completer's transaction.
        tx.statementTimeout(leases.statementTimeout());
        return archived(tx.query(COMPLETE, Tuple.from(Arrays.asList(ids, attempts, results, worker, EventChannel.NAME,
                EventChannel.WATCH, tokens))), JobStatus.RUNNING);
    }

    /** Ends a running attempt for good (FAILED or CANCELLED) when its fence still holds. */
    public Optional<JobChange> finishRunning(Sql.Tx tx, Fence fence, JobStatus status, String error) {
        return archived(tx.query(FINISH_RUNNING, Tuple.from(Arrays.asList(fence.jobId(), fence.attempt(), fence.worker(),
                status.name(), StorableText.text(error), fence.token()))), JobStatus.RUNNING).stream().findFirst();
    }

    /** How many attempts job {@code id} may have, if it is still active. */
    public Optional<Integer> maxAttempts(Sql.Tx tx, long id) {
        for (Row row : tx.query("SELECT max_attempts FROM jobyard.job WHERE id = $1", Tuple.of(id))) {
            return Optional.of(row.getInteger("max_attempts"));
        }
        return Optional.empty();
    }

    /** Puts a failed attempt back to PENDING, runnable after {@code delayMillis} on the database clock. */
    public Optional<JobChange> retry(Sql.Tx tx, Fence fence, long delayMillis, String error) {
        error = StorableText.text(error);
        for (Row row : tx.query(RETRY, Tuple.from(Arrays.asList(fence.jobId(), fence.attempt(), fence.worker(),
                delayMillis, error, fence.token())))) {
            return Optional.of(new JobChange(row.getLong("id"), row.getString("queue"), row.getString("kind"),
                    JobStatus.PENDING, JobStatus.RUNNING, row.getInteger("attempt"), row.getOffsetDateTime("run_at"),
                    true, error));
        }
        return Optional.empty();
    }

    /** Ends as CANCELLED a running attempt whose job someone asked to cancel; empty if no cancel was asked. */
    public Optional<JobChange> finishCancelRequested(Sql.Tx tx, Fence fence) {
        return archived(tx.query(FINISH_CANCEL_REQUESTED, Tuple.of(fence.jobId(), fence.attempt(), fence.worker(),
                fence.token())),
                JobStatus.RUNNING).stream().findFirst();
    }

    public Optional<JobChange> handBack(Sql.Tx tx, Fence fence) {
        for (Row row : tx.query(HAND_BACK, Tuple.of(fence.jobId(), fence.attempt(), fence.worker(), fence.token()))) {
            return Optional.of(new JobChange(row.getLong("id"), row.getString("queue"), row.getString("kind"),
                    JobStatus.PENDING, JobStatus.RUNNING, row.getInteger("attempt"), row.getOffsetDateTime("run_at"),
                    true, null));
        }
        return Optional.empty();
    }

    /** Parks a running attempt without counting it (see {@link dev.jobyard.handler.HangUp}). */
    public Optional<JobChange> hangUp(Sql.Tx tx, Fence fence, JobStatus status, long delayMillis) {
        for (Row row : tx.query(HANG_UP, Tuple.from(Arrays.asList(fence.jobId(), fence.attempt(), fence.worker(),
                fence.token(), status.name(), delayMillis)))) {
            return Optional.of(new JobChange(row.getLong("id"), row.getString("queue"), row.getString("kind"), status,
                    JobStatus.RUNNING, row.getInteger("attempt"), row.getOffsetDateTime("run_at"),
                    status == JobStatus.PENDING, null));
        }
        return Optional.empty();
    }

    /** Sets these WAITING jobs PENDING, runnable now; returns those it changed. */
    public List<JobChange> wake(Sql.Tx tx, List<Long> ids) {
        List<JobChange> woken = new ArrayList<>();
        if (ids.isEmpty()) {
            return woken;
        }
        for (Row row : tx.query(WAKE, Tuple.of((Object) ids.toArray(Long[]::new)))) {
            woken.add(new JobChange(row.getLong("id"), row.getString("queue"), row.getString("kind"), JobStatus.PENDING,
                    JobStatus.WAITING, row.getInteger("attempt"), row.getOffsetDateTime("run_at"), true, null));
        }
        return woken;
    }

    /** Archives a parked job (WAITING, or PENDING) as {@code status} with {@code error}; empty if it is not parked. */
    public Optional<JobChange> endParked(Sql.Tx tx, long id, JobStatus status, String error) {
        return archived(tx.query(END_PARKED, Tuple.of(id, status.name(), StorableText.text(error))), JobStatus.WAITING)
                .stream().findFirst();
    }

    /** Lowers the dependency counters of the jobs waiting on {@code completedIds}; returns those changed. */
    public List<JobChange> releaseDependents(Sql.Tx tx, List<Long> completedIds) {
        if (completedIds.isEmpty()) {
            return List.of();
        }
        List<JobChange> changed = new ArrayList<>();
        for (Row row : tx.query(RELEASE_DEPENDENTS, Tuple.of((Object) completedIds.toArray(Long[]::new)))) {
            boolean runnable = row.getInteger("pending_deps") == 0;
            changed.add(new JobChange(row.getLong("id"), row.getString("queue"), row.getString("kind"),
                    JobStatus.PENDING, JobStatus.PENDING, row.getInteger("attempt"), row.getOffsetDateTime("run_at"),
                    runnable, null));
        }
        return changed;
    }

    /**
     * Cancels, transitively, every job waiting on the given failed or cancelled jobs. Repeats from the
     * victims until nothing is left, so an edge committed while the first pass ran is not missed.
     */
    public List<JobChange> cancelDependents(Sql.Tx tx, List<JobChange> ended) {
        List<JobChange> all = new ArrayList<>();
        List<JobChange> roots = ended;
        while (!roots.isEmpty()) {
            Long[] ids = roots.stream().map(JobChange::id).toArray(Long[]::new);
            String[] statuses = roots.stream().map(c -> c.status().name()).toArray(String[]::new);
            List<JobChange> victims = archived(tx.query(CANCEL_DEPENDENTS, Tuple.of(ids, statuses)), JobStatus.PENDING);
            all.addAll(victims);
            roots = victims;
        }
        return all;
    }

    public Optional<JobChange> cancelPending(Sql.Tx tx, long id, String reason) {
        return archived(tx.query(CANCEL_PENDING, Tuple.of(id, reason)), JobStatus.PENDING).stream().findFirst();
    }

    /**
     * Cancels those of {@code ids} that are PENDING and that no other transaction holds, without waiting for
     * any; returns the cancelled (not announced: the caller announces them).
     */
    public List<JobChange> cancelPendingNoWait(Sql.Tx tx, List<Long> ids, String reason) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return archived(tx.query(CANCEL_PENDING_NOWAIT, Tuple.of(ids.toArray(Long[]::new), reason)), JobStatus.PENDING);
    }

    /** Asks to cancel those of {@code ids} that are RUNNING and not held by another transaction; returns their ids. */
    public List<Long> requestCancelNoWait(Sql.Tx tx, List<Long> ids, String reason) {
        List<Long> requested = new ArrayList<>();
        if (ids.isEmpty()) {
            return requested;
        }
        for (Row row : tx.query(REQUEST_CANCEL_NOWAIT, Tuple.of(ids.toArray(Long[]::new), reason))) {
            requested.add(row.getLong("id"));
        }
        return requested;
    }

    /** Marks a running job for cancellation; its worker (or the rescuer) ends it. */
    public boolean requestCancel(Sql.Tx tx, long id, String reason) {
        return tx.query(REQUEST_CANCEL, Tuple.of(id, reason)).size() == 1;
    }

    /** A lease that this worker still holds after renewal (its claim's token), and whether someone asked to cancel it. */
    public record Renewed(long jobId, long token, String cancelReason) {
    }

    public List<Renewed> renewLeases(String worker, List<Fence> fences, long leaseMillis) {
        if (fences.isEmpty()) {
            return List.of();
        }
        fences = byJobId(fences, Fence::jobId);
        List<Renewed> renewed = new ArrayList<>();
        for (int from = 0; from < fences.size(); from += RENEW_CHUNK) {
            List<Fence> chunk = fences.subList(from, Math.min(fences.size(), from + RENEW_CHUNK));
            Long[] ids = chunk.stream().map(Fence::jobId).toArray(Long[]::new);
            Integer[] attempts = chunk.stream().map(Fence::attempt).toArray(Integer[]::new);
            Long[] tokens = chunk.stream().map(Fence::token).toArray(Long[]::new);
            for (Row row : sql.queryWithin(leases.statementTimeout(), RENEW_LEASES,
                    Tuple.of(ids, attempts, leaseMillis, worker, tokens))) {
                renewed.add(new Renewed(row.getLong("id"), row.getLong("lease_token"), row.getString("cancel_reason")));
            }
        }
        return renewed;
    }

    /**
     * Batches that write running jobs (completion, lease renewal) lock their rows in ascending id
     * order, so two of them from one replica cannot deadlock.
     */
    private static <T> List<T> byJobId(List<T> items, java.util.function.ToLongFunction<T> id) {
        List<T> sorted = new ArrayList<>(items);
        sorted.sort(java.util.Comparator.comparingLong(id));
        return sorted;
    }

    /** A running job whose lease ran out: its worker died, froze or lost the database. */
    public record Expired(Fence fence, String queue, String kind, int maxAttempts, String cancelReason) {
    }

    public List<Expired> lockExpiredLeases(Sql.Tx tx, int limit) {
        List<Expired> expired = new ArrayList<>();
        for (Row row : tx.query(EXPIRED_LEASES, Tuple.of(limit))) {
            expired.add(new Expired(new Fence(row.getLong("id"), row.getInteger("attempt"), row.getString("worker"),
                    row.getLong("lease_token")),
                    row.getString("queue"), row.getString("kind"), row.getInteger("max_attempts"),
                    row.getString("cancel_reason")));
        }
        return expired;
    }

    // ---- what notifications said, as the tables have it ----

    @Override
    public List<JobTable.JobState> rows(java.util.Collection<Long> ids) {
        List<JobTable.JobState> rows = new ArrayList<>(ids.size());
        for (Row row : sql.query(EVENT_ROWS, Tuple.of((Object) ids.toArray(Long[]::new)))) {
            rows.add(new JobTable.JobState(row.getLong("id"), row.getString("queue"), row.getString("kind"),
                    row.getString("status"), row.getInteger("attempt"), row.getString("error"), row.getString("errors"),
                    row.getLong("schedule_id")));
        }
        return rows;
    }

    @Override
    public Map<Long, String> cancelsRequested(java.util.Collection<Long> ids, String worker) {
        Map<Long, String> reasons = new HashMap<>();
        for (Row row : sql.query(CANCELS_REQUESTED, Tuple.of(ids.toArray(Long[]::new), worker))) {
            reasons.put(row.getLong("id"), row.getString("cancel_reason"));
        }
        return reasons;
    }

    // ---- reads ----

    // Queues not paused with a job ready now, in name order after $1, at most $2: a skip scan of the runnable index that
    // reads one entry per queue (and the not yet due entries of a queue before its first due one), not the
    // whole index.
    private static final String RUNNABLE_QUEUES = """
            WITH RECURSIVE q(queue) AS (
                (SELECT queue FROM jobyard.job WHERE status = 'PENDING' AND pending_deps = 0 AND queue > $1
                    AND run_at <= now() ORDER BY queue LIMIT 1)
                UNION ALL
                SELECT (SELECT j.queue FROM jobyard.job j WHERE j.status = 'PENDING' AND j.pending_deps = 0
                           AND j.queue > q.queue AND j.run_at <= now() ORDER BY j.queue LIMIT 1)
                  FROM q WHERE q.queue IS NOT NULL)
            SELECT queue FROM q WHERE queue IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM jobyard.queue p WHERE p.name = q.queue AND p.paused)
             LIMIT $2""";

    /** Up to {@code limit} queues, after {@code after} by name, that are not paused and have a job ready to run now. */
    public List<String> runnableQueues(String after, int limit) {
        List<String> queues = new ArrayList<>();
        for (Row row : sql.query(RUNNABLE_QUEUES, Tuple.of(after, limit))) {
            queues.add(row.getString(0));
        }
        return queues;
    }

    public Optional<Job> find(long id) {
        for (Row row : sql.query(SELECT_ACTIVE + " WHERE id = $1 UNION ALL " + SELECT_HISTORY + " WHERE id = $1",
                Tuple.of(id))) {
            return Optional.of(toJob(row));
        }
        return Optional.empty();
    }

    /** The jobs with these ids, active or archived. */
    public List<Job> findAll(List<Long> ids) {
        return ids.isEmpty() ? List.of() : jobs(sql.query(FIND_ALL, Tuple.of((Object) ids.toArray(Long[]::new))));
    }

    /** The jobs with these ids as this transaction sees them (its own inserts included). */
    public List<Job> findAll(Sql.Tx tx, List<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jobs(tx.query(FIND_ALL, Tuple.of((Object) ids.toArray(Long[]::new))));
    }

    /** Active jobs, oldest id first, after the given id. */
    public List<Job> listActive(JobStatus status, String queue, String kind, long afterId, int limit) {
        return listActive(status, queue, kind, afterId, limit, null);
    }

    /**
     * Active jobs, oldest first; with {@code queueLike} (LIKE patterns, a caller's queue grants) only jobs of
     * queues matching one of them.
     */
    public List<Job> listActive(JobStatus status, String queue, String kind, long afterId, int limit, List<String> queueLike) {
        String where = " WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR queue = $2)"
                + " AND ($3::text IS NULL OR kind = $3) AND id > $4 AND ($6::text[] IS NULL OR queue LIKE ANY($6))"
                + " ORDER BY id LIMIT $5";
        return jobs(sql.query(SELECT_ACTIVE + where, Tuple.from(Arrays.asList(
                status == null ? null : status.name(), queue, kind, afterId, limit, likes(queueLike)))));
    }

    private static String[] likes(List<String> queueLike) {
        return queueLike == null ? null : queueLike.toArray(String[]::new);
    }

    /** Archived jobs, most recently finished first, strictly before the (completedAt, id) cursor. */
    public List<Job> listHistory(JobStatus status, String queue, String kind, OffsetDateTime since,
            OffsetDateTime beforeAt, long beforeId, int limit) {
        return listHistory(status, queue, kind, since, beforeAt, beforeId, limit, null);
    }

    /** As above, only jobs of queues matching one of {@code queueLike} unless it is null. */
    public List<Job> listHistory(JobStatus status, String queue, String kind, OffsetDateTime since,
            OffsetDateTime beforeAt, long beforeId, int limit, List<String> queueLike) {
        String where = " WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR kind = $2)"
                + " AND ($3::timestamptz IS NULL OR completed_at >= $3)"
                + " AND ($4::timestamptz IS NULL OR (completed_at, id) < ($4, $5))"
                + " AND ($7::text IS NULL OR queue = $7) AND ($8::text[] IS NULL OR queue LIKE ANY($8))"
                + " ORDER BY completed_at DESC, id DESC LIMIT $6";
        return jobs(sql.query(SELECT_HISTORY + where, Tuple.from(Arrays.asList(
                status == null ? null : status.name(), kind, since, beforeAt, beforeId, limit, queue, likes(queueLike)))));
    }

    /** Jobs a schedule created, active and archived, newest first, with ids below {@code beforeId}. */
    public List<Job> listBySchedule(long scheduleId, JobStatus status, long beforeId, int limit) {
        String where = " WHERE schedule_id = $1 AND id < $2 AND ($3::text IS NULL OR status = $3)";
        Tuple args = Tuple.from(Arrays.asList(scheduleId, beforeId, status == null ? null : status.name(), limit));
        return jobs(sql.query("SELECT * FROM (" + SELECT_ACTIVE + where + " UNION ALL " + SELECT_HISTORY + where
                + ") runs ORDER BY id DESC LIMIT $4", args));
    }

    /** Pending jobs that a worker could take now, in the order it would take them. */
    public List<Job> listReady(String queue, int limit) {
        return listReady(queue, limit, null);
    }

    /** As above, only jobs of queues matching one of {@code queueLike} unless it is null. */
    public List<Job> listReady(String queue, int limit, List<String> queueLike) {
        String where = " WHERE status = 'PENDING' AND pending_deps = 0 AND run_at <= now()"
                + " AND ($1::text IS NULL OR queue = $1) AND ($3::text[] IS NULL OR queue LIKE ANY($3))"
                + " AND NOT EXISTS (SELECT 1 FROM jobyard.queue q WHERE q.name = job.queue AND q.paused)"
                + " ORDER BY priority DESC, run_at, id LIMIT $2";
        return jobs(sql.query(SELECT_ACTIVE + where, Tuple.from(Arrays.asList(queue, limit, likes(queueLike)))));
    }

    /** For each id, the dependencies that have not completed yet. */
    public Map<Long, List<Long>> blockedBy(List<Long> ids) {
        Map<Long, List<Long>> result = new HashMap<>();
        if (ids.isEmpty()) {
            return result;
        }
        for (Row row : sql.query("SELECT job_id, depends_on FROM jobyard.job_dependency WHERE job_id = ANY($1) ORDER BY depends_on",
                Tuple.of((Object) ids.toArray(Long[]::new)))) {
            result.computeIfAbsent(row.getLong("job_id"), k -> new ArrayList<>()).add(row.getLong("depends_on"));
        }
        return result;
    }

    // ---- mapping ----

    private static List<JobChange> archived(RowSet<Row> rows, JobStatus previous) {
        List<JobChange> changes = new ArrayList<>(rows.size());
        for (Row row : rows) {
            changes.add(new JobChange(row.getLong("id"), row.getString("queue"), row.getString("kind"),
                    JobStatus.valueOf(row.getString("status")), previous, row.getInteger("attempt"), null, false,
                    row.getString("error"), row.getLong("schedule_id"), row.getString("owner")));
        }
        return changes;
    }

    private static List<Job> jobs(RowSet<Row> rows) {
        List<Job> jobs = new ArrayList<>(rows.size());
        for (Row row : rows) {
            jobs.add(toJob(row));
        }
        return jobs;
    }

    static Job toJob(Row row) {
        JsonArray deps = JsonText.array(row.getString("dependencies"));
        List<Long> dependencies = new ArrayList<>();
        if (deps != null) {
            for (int i = 0; i < deps.size(); i++) {
                dependencies.add(deps.getLong(i));
            }
        }
        return new Job(row.getLong("id"), row.getString("queue"), row.getString("kind"), row.getString("name"),
                row.getString("description"), jsonObject(row, "payload"), jsonObject(row, "labels"),
                row.getInteger("priority"), JobStatus.valueOf(row.getString("status")),
                row.getOffsetDateTime("run_at"), row.getInteger("attempt"), row.getInteger("max_attempts"),
                row.getInteger("timeout_seconds"), row.getString("idempotency_key"), dependencies,
                JsonText.array(row.getString("errors")), row.getString("error"), jsonObject(row, "result"), row.getString("worker"),
                row.getLong("retry_of"), row.getLong("schedule_id"), row.getString("cancel_reason"), row.getOffsetDateTime("created_at"),
                row.getOffsetDateTime("started_at"), row.getOffsetDateTime("completed_at"),
                row.getOffsetDateTime("updated_at"), row.getLong("duration_ms"));
    }

    /** A jsonb column selected as text (see JsonText). */
    private static JsonObject jsonObject(Row row, String column) {
        return JsonText.object(row.getString(column));
    }
}
