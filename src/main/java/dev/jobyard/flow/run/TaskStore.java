package dev.jobyard.flow.run;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.database.Sql;
import dev.jobyard.database.Statements;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/** Every statement on {@code flow_task}. Writers hold the run's lock ({@link RunStore#lock}). */
@ApplicationScoped
public class TaskStore {

    /** A handler's result {@code {"$output": v}} is the output {@code v}: how a Java handler outputs a non-object. */
    public static final String OUTPUT_KEY = "$output";

    private static final String COLUMNS = """
            t.run_id, t.step_slug, t.task_index, t.job_id, t.attempts, t.status, %s AS output, t.error, t.ended_at""";
    private static final String INSERT = """
            INSERT INTO jobyard.flow_task (run_id, step_slug, task_index, job_id, status)
            SELECT *, 'QUEUED' FROM unnest($1::bigint[], $2::text[], $3::int[], $4::bigint[])""";
    private static final String BY_JOBS = "SELECT " + COLUMNS.formatted("NULL::text")
            + " FROM jobyard.flow_task t WHERE t.job_id = ANY($1)";
    // The output comes from the job's result in history, archived earlier in this same transaction. The history
    // rows are looked up by id first, on their own (MATERIALIZED, without the status): with statistics taken while
    // the tables were small, the planner otherwise drove from the run's tasks (all 1,000 of a map) and scanned
    // history's status index once per task, 9 s for a batch of 50 in W9. They are looked up by their whole primary
    // key: archived in this transaction, they were completed at now(). By id alone, which history's key does not
    // make unique, the planner expects many rows per id and scans the day's partition (5-13 ms a batch in W9).
    private static final String COMPLETE = """
            WITH h AS MATERIALIZED (SELECT id, status, result FROM jobyard.job_history
                                     WHERE id = ANY($1) AND completed_at = now())
            UPDATE jobyard.flow_task t
               SET status = 'COMPLETED', ended_at = now(),
                   output = CASE WHEN jsonb_typeof(h.result) = 'object' AND h.result ? '$output'
                                      AND (SELECT count(*) FROM jsonb_object_keys(h.result)) = 1
                                 THEN h.result -> '$output'
                                 ELSE coalesce(h.result, 'null'::jsonb) END
              FROM h
             WHERE t.job_id = h.id AND h.status = 'COMPLETED' AND t.status = 'QUEUED'
               -- A filter, never an index condition: by run, the planner reads all queued tasks of a map's run (1,000)
               -- for a batch of 50 (7 ms); the tasks are found by their jobs.
               AND array_position($2::bigint[], t.run_id) IS NOT NULL
            RETURNING t.run_id, t.step_slug, t.task_index, t.job_id""";
    private static final String END_ONE = """
            UPDATE jobyard.flow_task SET status = $3, error = $4, ended_at = now()
             WHERE job_id = $1 AND run_id = $2 AND status = 'QUEUED'""";
    private static final String RETRIED = """
            UPDATE jobyard.flow_task SET job_id = $4, attempts = attempts + 1, error = $5
             WHERE run_id = $1 AND step_slug = $2 AND task_index = $3""";
    // Ends every unfinished task of the runs; returns their jobs, to cancel them (pgflow's orphaned messages).
    private static final String END_QUEUED = """
            UPDATE jobyard.flow_task SET status = 'CANCELLED', error = $2, ended_at = now()
             WHERE run_id = ANY($1) AND status = 'QUEUED'
            RETURNING job_id""";
    private static final String FOR_RUN = "SELECT " + COLUMNS.formatted("t.output::text") + """
            , j.status AS job_status
             FROM jobyard.flow_task t LEFT JOIN jobyard.job j ON j.id = t.job_id
             WHERE t.run_id = $1 ORDER BY t.step_slug, t.task_index""";

    private final Sql sql;

    TaskStore(Sql sql) {
        this.sql = sql;
    }

    public record NewTask(long runId, String stepSlug, int index, long jobId) {
    }

    public void insert(Sql.Tx tx, List<NewTask> tasks) {
        if (tasks.isEmpty()) {
            return;
        }
        tx.query(INSERT, Tuple.of(tasks.stream().map(NewTask::runId).toArray(Long[]::new),
                tasks.stream().map(NewTask::stepSlug).toArray(String[]::new),
                tasks.stream().map(NewTask::index).toArray(Integer[]::new),
                tasks.stream().map(NewTask::jobId).toArray(Long[]::new)));
    }

    /** The tasks whose current job is one of {@code jobIds} (a job of an earlier attempt matches none). */
    public List<FlowTask> byJobs(Sql.Tx tx, List<Long> jobIds) {
        return tasks(tx.query(BY_JOBS, Tuple.of((Object) jobIds.toArray(Long[]::new))), false);
    }

    /**
     * Records the outputs of the unfinished tasks of runs {@code runIds} whose jobs completed; returns the tasks
     * changed (without output).
     */
    public List<FlowTask> complete(Sql.Tx tx, List<Long> jobIds, List<Long> runIds) {
        List<FlowTask> done = new ArrayList<>();
        for (Row row : tx.query(COMPLETE, Tuple.of(jobIds.toArray(Long[]::new), runIds.toArray(Long[]::new)))) {
            done.add(new FlowTask(row.getLong("run_id"), row.getString("step_slug"), row.getInteger("task_index"),
                    row.getLong("job_id"), 0, FlowTaskStatus.COMPLETED, null, null, null));
        }
        return done;
    }

    public void end(Sql.Tx tx, long runId, long jobId, FlowTaskStatus status, String error) {
        tx.query(END_ONE, Tuple.of(jobId, runId, status.name(), error));
    }

    public void retried(Sql.Tx tx, FlowTask task, long newJobId, String error) {
        tx.query(RETRIED, Tuple.of(task.runId(), task.stepSlug(), task.taskIndex(), newJobId, error));
    }

    /** Cancels the unfinished tasks of the runs and returns their current jobs. */
    public List<Long> endQueued(Sql.Tx tx, List<Long> runIds, String why) {
        List<Long> jobs = new ArrayList<>();
        for (Row row : tx.query(END_QUEUED, Tuple.of(runIds.toArray(Long[]::new), why))) {
            jobs.add(row.getLong("job_id"));
        }
        return jobs;
    }

    /** Every task of a run, with its output, STARTED where its job runs now. */
    public List<FlowTask> forRun(Statements db, long runId) {
        return tasks(db.query(FOR_RUN, Tuple.of(runId)), true);
    }

    public List<FlowTask> forRun(long runId) {
        return forRun(sql, runId);
    }

    private static List<FlowTask> tasks(RowSet<Row> rows, boolean withJob) {
        List<FlowTask> tasks = new ArrayList<>(rows.size());
        for (Row row : rows) {
            FlowTaskStatus status = FlowTaskStatus.valueOf(row.getString("status"));
            if (withJob && status == FlowTaskStatus.QUEUED && "RUNNING".equals(row.getString("job_status"))) {
                status = FlowTaskStatus.STARTED;
            }
            tasks.add(new FlowTask(row.getLong("run_id"), row.getString("step_slug"), row.getInteger("task_index"),
                    row.getLong("job_id"), row.getInteger("attempts"), status, row.getString("output"),
                    row.getString("error"), row.getOffsetDateTime("ended_at")));
        }
        return tasks;
    }
}
