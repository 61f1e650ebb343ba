package dev.jobyard.flow.run;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.database.Sql;
import dev.jobyard.database.Statements;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/** Every statement on {@code flow_step_state}. Writers hold the run's lock ({@link RunStore#lock}). */
@ApplicationScoped
public class StepStateStore {

    private static final String COLUMNS = """
            run_id, step_slug, step_index, status, remaining_deps, initial_tasks, remaining_tasks, %s AS output, error,
            started_at, ended_at""";
    private static final String INSERT = """
            INSERT INTO jobyard.flow_step_state (run_id, step_slug, step_index, status, remaining_deps)
            SELECT $1::bigint, * FROM unnest($2::text[], $3::int[], $4::text[], $5::int[])""";
    // Without outputs: advancing needs the counters of every step but only the outputs of a few.
    private static final String LOAD = "SELECT " + COLUMNS.formatted("NULL::text")
            + " FROM jobyard.flow_step_state WHERE run_id = ANY($1) ORDER BY run_id, step_index";
    private static final String OUTPUTS = """
            SELECT s.run_id, s.step_slug, s.output::text AS output
              FROM unnest($1::bigint[], $2::text[]) AS u(run_id, slug)
              JOIN jobyard.flow_step_state s ON s.run_id = u.run_id AND s.step_slug = u.slug""";
    // The steps of several runs, with each run's count of remaining steps (lowered by its done count) in the same
    // statement: one statement for all the runs a completer batch advanced, not one per run.
    private static final String WRITE = """
            WITH run AS (UPDATE jobyard.flow_run r SET remaining_steps = r.remaining_steps - d.done
                           FROM unnest($8::bigint[], $9::int[]) AS d(id, done) WHERE r.id = d.id AND d.done > 0)
            UPDATE jobyard.flow_step_state s
               SET status = u.status, remaining_deps = u.deps, initial_tasks = u.initial, remaining_tasks = u.remaining,
                   error = coalesce(u.error, s.error),
                   started_at = CASE WHEN u.status <> 'CREATED' THEN coalesce(s.started_at, now()) END,
                   ended_at = CASE WHEN u.status IN ('COMPLETED', 'FAILED', 'CANCELLED') THEN coalesce(s.ended_at, now()) END
              FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[], $5::int[], $6::int[], $7::text[])
                   AS u(run_id, slug, status, deps, initial, remaining, error)
             WHERE s.run_id = u.run_id AND s.step_slug = u.slug
               -- Repeated as an index condition: without it the planner reads the whole key index for the join.
               AND s.run_id = ANY($1)""";
    // Completed steps' outputs, for several runs at once: the task's for a single step, the array of its tasks'
    // outputs in index order for a map, whatever order they finished in.
    private static final String SET_OUTPUTS = """
            UPDATE jobyard.flow_step_state s
               SET output = CASE WHEN u.map THEN (SELECT coalesce(jsonb_agg(coalesce(t.output, 'null'::jsonb) ORDER BY t.task_index), '[]'::jsonb)
                                                    FROM jobyard.flow_task t WHERE t.run_id = s.run_id AND t.step_slug = s.step_slug)
                                 ELSE (SELECT coalesce(t.output, 'null'::jsonb) FROM jobyard.flow_task t
                                        WHERE t.run_id = s.run_id AND t.step_slug = s.step_slug AND t.task_index = 0) END
              FROM unnest($1::bigint[], $2::text[], $3::bool[]) AS u(run_id, slug, map)
             WHERE s.run_id = u.run_id AND s.step_slug = u.slug
            RETURNING s.run_id, s.step_slug, s.output::text AS output""";
    private static final String FOR_RUN = "SELECT " + COLUMNS.formatted("output::text")
            + " FROM jobyard.flow_step_state WHERE run_id = $1 ORDER BY step_index";

    private final Sql sql;

    StepStateStore(Sql sql) {
        this.sql = sql;
    }

    public void insert(Sql.Tx tx, long runId, List<StepState> states) {
        tx.query(INSERT, Tuple.of(runId, states.stream().map(StepState::stepSlug).toArray(String[]::new),
                states.stream().map(StepState::stepIndex).toArray(Integer[]::new),
                states.stream().map(s -> s.status().name()).toArray(String[]::new),
                states.stream().map(StepState::remainingDeps).toArray(Integer[]::new)));
    }

    /** The steps of these runs, without outputs, by run id. */
    public Map<Long, List<StepState>> load(Sql.Tx tx, List<Long> runIds) {
        Map<Long, List<StepState>> byRun = new HashMap<>();
        for (StepState s : states(tx.query(LOAD, Tuple.of((Object) runIds.toArray(Long[]::new))))) {
            byRun.computeIfAbsent(s.runId(), k -> new ArrayList<>()).add(s);
        }
        return byRun;
    }

    /** The stored outputs (JSON texts) of some steps of a run. */
    public Map<String, String> outputs(Sql.Tx tx, long runId, List<String> slugs) {
        return outputs(tx, slugs.stream().map(slug -> new CompletedStep(runId, slug, false)).toList())
                .getOrDefault(runId, Map.of());
    }

    /** The stored outputs (JSON texts) of some steps of several runs, by run and step, in one statement. */
    public Map<Long, Map<String, String>> outputs(Sql.Tx tx, List<CompletedStep> steps) {
        Map<Long, Map<String, String>> outputs = new HashMap<>();
        if (steps.isEmpty()) {
            return outputs;
        }
        for (Row row : tx.query(OUTPUTS, Tuple.of(steps.stream().map(CompletedStep::runId).toArray(Long[]::new),
                steps.stream().map(CompletedStep::slug).toArray(String[]::new)))) {
            outputs.computeIfAbsent(row.getLong("run_id"), k -> new HashMap<>()).put(row.getString("step_slug"),
                    row.getString("output"));
        }
        return outputs;
    }

    /** The steps of one run to write, and by how many its count of remaining steps goes down. */
    public record RunWrite(long runId, List<StepState> states, int stepsDone) {
    }

    /** Writes status, counters and error of the given steps of several runs, in one statement. */
    public void write(Sql.Tx tx, List<RunWrite> writes) {
        List<Long> runIds = new ArrayList<>();
        List<StepState> states = new ArrayList<>();
        for (RunWrite w : writes) {
            for (StepState state : w.states()) {
                runIds.add(w.runId());
                states.add(state);
            }
        }
        if (states.isEmpty()) {
            return;
        }
        tx.query(WRITE, Tuple.from(List.of(runIds.toArray(Long[]::new),
                states.stream().map(StepState::stepSlug).toArray(String[]::new),
                states.stream().map(s -> s.status().name()).toArray(String[]::new),
                states.stream().map(StepState::remainingDeps).toArray(Integer[]::new),
                states.stream().map(StepState::initialTasks).toArray(Integer[]::new),
                states.stream().map(StepState::remainingTasks).toArray(Integer[]::new),
                states.stream().map(StepState::error).toArray(String[]::new),
                writes.stream().map(RunWrite::runId).toArray(Long[]::new),
                writes.stream().map(RunWrite::stepsDone).toArray(Integer[]::new))));
    }

    /** A completed step of a run: its output is set from its tasks ({@code map}: the array of all of them), or read. */
    public record CompletedStep(long runId, String slug, boolean map) {
    }

    /** Sets completed steps' outputs from their tasks, for several runs in one statement: JSON texts by run and step. */
    public Map<Long, Map<String, String>> setOutputsFromTasks(Sql.Tx tx, List<CompletedStep> steps) {
        Map<Long, Map<String, String>> outputs = new HashMap<>();
        if (steps.isEmpty()) {
            return outputs;
        }
        RowSet<Row> rows = tx.query(SET_OUTPUTS, Tuple.of(steps.stream().map(CompletedStep::runId).toArray(Long[]::new),
                steps.stream().map(CompletedStep::slug).toArray(String[]::new),
                steps.stream().map(CompletedStep::map).toArray(Boolean[]::new)));
        for (Row row : rows) {
            outputs.computeIfAbsent(row.getLong("run_id"), k -> new HashMap<>()).put(row.getString("step_slug"),
                    row.getString("output"));
        }
        return outputs;
    }

    public List<StepState> forRun(Statements db, long runId) {
        return states(db.query(FOR_RUN, Tuple.of(runId)));
    }

    public List<StepState> forRun(long runId) {
        return forRun(sql, runId);
    }

    private static List<StepState> states(RowSet<Row> rows) {
        List<StepState> states = new ArrayList<>(rows.size());
        for (Row row : rows) {
            states.add(new StepState(row.getLong("run_id"), row.getString("step_slug"), row.getInteger("step_index"),
                    FlowStepStatus.valueOf(row.getString("status")), row.getInteger("remaining_deps"),
                    row.getInteger("initial_tasks"), row.getInteger("remaining_tasks"), row.getString("output"),
                    row.getString("error"), row.getOffsetDateTime("started_at"), row.getOffsetDateTime("ended_at")));
        }
        return states;
    }
}
