package dev.jobyard.flow.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.database.Sql;
import dev.jobyard.database.Statements;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/** Every statement on {@code flow_run}. */
@ApplicationScoped
public class RunStore {

    private static final String COLUMNS = """
            id, flow_id, flow_slug, status, input::text AS input, output::text AS output, error, remaining_steps,
            idempotency_key, created_at, ended_at""";
    // A second start with the same key finds the first run: the unique key decides, not a read before.
    private static final String INSERT = """
            INSERT INTO jobyard.flow_run (flow_id, flow_slug, status, input, remaining_steps, idempotency_key)
            VALUES ($1, $2, 'STARTED', $3::text::jsonb, $4, $5)
            ON CONFLICT (flow_id, idempotency_key) DO NOTHING
            RETURNING\s""" + COLUMNS;
    private static final String BY_KEY = "SELECT " + COLUMNS + " FROM jobyard.flow_run WHERE flow_id = $1 AND idempotency_key = $2";
    // Runs in id order, so two transactions that advance the same runs cannot deadlock on them.
    private static final String LOCK = "SELECT " + COLUMNS + " FROM jobyard.flow_run WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE";
    // The runs of the tasks whose current jobs these are, found and locked in one statement (the completer's
    // transaction is on the path from a step's end to its dependents' start: each statement saved counts). The
    // tasks are found by job id on their own (MATERIALIZED, the status tested after), never through the index of
    // all queued tasks, which a 1,000-element map fills.
    private static final String LOCK_BY_JOBS = """
            WITH t AS MATERIALIZED (SELECT run_id, status FROM jobyard.flow_task WHERE job_id = ANY($1))
            SELECT\s""" + COLUMNS + """
             FROM jobyard.flow_run
            WHERE id IN (SELECT run_id FROM t WHERE status = 'QUEUED')
            ORDER BY id FOR NO KEY UPDATE""";
    // The run's output: one field per final step, that step's output.
    private static final String COMPLETE = """
            UPDATE jobyard.flow_run r SET status = 'COMPLETED', remaining_steps = 0, ended_at = now(),
                   output = (SELECT coalesce(jsonb_object_agg(s.step_slug, coalesce(s.output, 'null'::jsonb)), '{}'::jsonb)
                               FROM jobyard.flow_step_state s WHERE s.run_id = r.id AND s.step_slug = ANY($2))
             WHERE id = ANY($1) AND status = 'STARTED'""";
    private static final String END = """
            UPDATE jobyard.flow_run SET status = $2, error = $3, ended_at = now() WHERE id = $1 AND status = 'STARTED'
            RETURNING id""";
    private static final String FIND = "SELECT " + COLUMNS + " FROM jobyard.flow_run WHERE id = $1";
    private static final String LIST = "SELECT " + COLUMNS + " " + """
             FROM jobyard.flow_run
             WHERE ($1::text IS NULL OR flow_slug = $1) AND ($2::text IS NULL OR status = $2) AND id < $3
               AND ($5::text[] IS NULL OR flow_id IN (SELECT f.id FROM jobyard.flow f WHERE f.queue LIKE ANY($5)))
             ORDER BY id DESC LIMIT $4""";
    /** For deleteFlow, which runs it in its Hibernate Reactive transaction (a named parameter, for Hibernate). */
    public static final String ACTIVE_RUNS_OF_FLOW = "SELECT count(*) FROM jobyard.flow_run WHERE flow_id = :flowId AND status = 'STARTED'";
    /** For deleteFlow, after ACTIVE_RUNS_OF_FLOW found none: the finished runs go with their flow. */
    public static final String DELETE_RUNS_OF_FLOW = "DELETE FROM jobyard.flow_run WHERE flow_id = :flowId";

    // What a flow event heard over NOTIFY is checked against: each run with its flow's queue and its steps' states.
    private static final String EVENT_STATES = """
            SELECT r.id, r.flow_slug, r.status, f.queue, s.step_slug, s.status AS step_status,
                   s.started_at IS NOT NULL AS step_started
              FROM jobyard.flow_run r JOIN jobyard.flow f ON f.id = r.flow_id
              LEFT JOIN jobyard.flow_step_state s ON s.run_id = r.id
             WHERE r.id = ANY($1)""";

    private final Sql sql;

    RunStore(Sql sql) {
        this.sql = sql;
    }

    /** The new run, or empty when a run of this flow already has {@code key}. */
    public Optional<FlowRun> insert(Sql.Tx tx, long flowId, String flowSlug, String input, int steps, String key) {
        return first(tx.query(INSERT, Tuple.from(Arrays.asList(flowId, flowSlug, input, steps, key))));
    }

    public Optional<FlowRun> byKey(Sql.Tx tx, long flowId, String key) {
        return first(tx.query(BY_KEY, Tuple.of(flowId, key)));
    }

    /** Locks the runs (ids sorted by the statement) until the transaction ends; returns them as locked. */
    public List<FlowRun> lock(Sql.Tx tx, List<Long> ids) {
        return runs(tx.query(LOCK, Tuple.of((Object) ids.toArray(Long[]::new))));
    }

    /** Locks the runs with an unfinished task whose current job is one of {@code jobIds}, in id order. */
    public List<FlowRun> lockByJobs(Sql.Tx tx, List<Long> jobIds) {
        return runs(tx.query(LOCK_BY_JOBS, Tuple.of((Object) jobIds.toArray(Long[]::new))));
    }

    /** Completes STARTED runs of one flow, whose final steps are {@code finalSteps}: their output is those steps' outputs. */
    public void complete(Sql.Tx tx, List<Long> runIds, List<String> finalSteps) {
        tx.query(COMPLETE, Tuple.of(runIds.toArray(Long[]::new), finalSteps.toArray(String[]::new)));
    }

    /** A run as its events are checked: its flow, status and queue, and each step's status and whether it started. */
    public record EventState(String flowSlug, FlowRunStatus status, String queue, Map<String, FlowStepStatus> steps,
            Set<String> started) {
    }

    /** The runs that exist among {@code ids}, as their events are checked, by id. */
    public Map<Long, EventState> eventStates(Collection<Long> ids) {
        Map<Long, EventState> states = new HashMap<>();
        for (Row row : sql.query(EVENT_STATES, Tuple.of((Object) ids.toArray(Long[]::new)))) {
            EventState state = states.computeIfAbsent(row.getLong("id"), id -> new EventState(row.getString("flow_slug"),
                    FlowRunStatus.valueOf(row.getString("status")), row.getString("queue"), new HashMap<>(),
                    new HashSet<>()));
            String step = row.getString("step_slug");
            if (step != null) {
                state.steps().put(step, FlowStepStatus.valueOf(row.getString("step_status")));
                if (Boolean.TRUE.equals(row.getBoolean("step_started"))) {
                    state.started().add(step);
                }
            }
        }
        return states;
    }

    /** Ends a STARTED run as FAILED or CANCELLED; false when it had ended already. */
    public boolean end(Sql.Tx tx, long runId, FlowRunStatus status, String error) {
        return tx.query(END, Tuple.of(runId, status.name(), error)).size() == 1;
    }

    public Optional<FlowRun> find(Statements db, long id) {
        return first(db.query(FIND, Tuple.of(id)));
    }

    public Optional<FlowRun> find(long id) {
        return find(sql, id);
    }

    /** Newest first, with ids below {@code beforeId}; {@code queueLikes}: of the flows whose queue matches one (or all). */
    public List<FlowRun> list(String flowSlug, FlowRunStatus status, long beforeId, int limit, List<String> queueLikes) {
        return runs(sql.query(LIST, Tuple.from(Arrays.asList(flowSlug, status == null ? null : status.name(), beforeId, limit,
                queueLikes == null ? null : queueLikes.toArray(String[]::new)))));
    }

    private static Optional<FlowRun> first(RowSet<Row> rows) {
        List<FlowRun> runs = runs(rows);
        return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(0));
    }

    private static List<FlowRun> runs(RowSet<Row> rows) {
        List<FlowRun> runs = new ArrayList<>(rows.size());
        for (Row row : rows) {
            runs.add(new FlowRun(row.getLong("id"), row.getLong("flow_id"), row.getString("flow_slug"),
                    FlowRunStatus.valueOf(row.getString("status")), row.getString("input"), row.getString("output"),
                    row.getString("error"), row.getInteger("remaining_steps"), row.getString("idempotency_key"),
                    row.getOffsetDateTime("created_at"), row.getOffsetDateTime("ended_at")));
        }
        return runs;
    }
}
