package dev.jobyard.chain.run;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.chain.ChainEvent;
import dev.jobyard.chain.ChainEvents;
import dev.jobyard.database.Sql;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Every statement a run makes on the chain tables, on the engine's reactive client: the chain and its tasks
 * when the run starts, a task's parameters when the run reaches it, and the execution log. The log is
 * written on the pool, never on the run's own connection, so it stays when the run rolls back.
 */
@ApplicationScoped
public class ChainRunStore {

    private static final String CHAIN = """
            SELECT c.id, c.name, c.client_name, c.on_error, c.timeout_seconds, s.exclusive, s.job_queue,
                   s.job_max_attempts
              FROM jobyard.chain c JOIN jobyard.schedule s ON s.id = c.id WHERE c.id = $1""";
    private static final String TASKS = """
            SELECT id, task_order, name, kind, command, payload::text AS payload, ignore_error, autonomous, timeout_seconds
              FROM jobyard.chain_task WHERE chain_id = $1 ORDER BY task_order""";
    private static final String PARAMETERS = """
            SELECT value::text AS value FROM jobyard.chain_parameter WHERE task_id = $1 ORDER BY order_id""";
    private static final String INSERT_LOG = """
            INSERT INTO jobyard.chain_execution_log (run_id, chain_id, task_id, task_name, parameter_index, txid,
                   started_at, return_code, output, params, worker, client_name)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::text::jsonb, $11, $12)""";
    private static final String LOG_COLUMNS = """
            id, run_id, chain_id, task_id, task_name, parameter_index, txid, started_at, finished_at, return_code, output,
            params::text AS params, worker, client_name""";
    private static final String LOG_PAGE = "SELECT " + LOG_COLUMNS + """
             FROM jobyard.chain_execution_log
            WHERE ($1::bigint IS NULL OR chain_id = $1) AND ($2::bigint IS NULL OR run_id = $2)
              AND ($3::bigint IS NULL OR task_id = $3) AND id > $4
              AND ($6::text[] IS NULL OR EXISTS (SELECT 1 FROM jobyard.schedule s
                                                  WHERE s.id = chain_id AND s.job_queue LIKE ANY($6)))
            ORDER BY id LIMIT $5""";
    private static final String ACTIVE_RUNS = "SELECT id FROM jobyard.job WHERE schedule_id = $1 AND kind = 'chain' ORDER BY id";

    private final Sql sql;
    private final ChainEvents events;

    ChainRunStore(Sql sql, ChainEvents events) {
        this.sql = sql;
        this.events = events;
    }

    /** What a run needs of its chain. */
    public record ChainRow(long id, String name, String clientName, String onError, Integer timeoutSeconds,
            boolean exclusive, String queue, int maxAttempts) {
    }

    /** A task as the run reads it when it starts. */
    public record TaskRow(long id, double order, String name, String kind, String command, JsonObject payload,
            boolean ignoreError, boolean autonomous, Integer timeoutSeconds) {

        String label() {
            return (name == null ? kind : "'" + name + "'") + " (task " + id + ")";
        }
    }

    public Optional<ChainRow> chain(long id) {
        return chain(sql, id);
    }

    public Optional<ChainRow> chain(dev.jobyard.database.Statements db, long id) {
        for (Row r : db.query(CHAIN, Tuple.of(id))) {
            return Optional.of(new ChainRow(r.getLong("id"), r.getString("name"), r.getString("client_name"),
                    r.getString("on_error"), r.getInteger("timeout_seconds"), r.getBoolean("exclusive"),
                    r.getString("job_queue"), r.getInteger("job_max_attempts")));
        }
        return Optional.empty();
    }

    public List<TaskRow> tasks(long chainId) {
        List<TaskRow> tasks = new ArrayList<>();
        for (Row r : sql.query(TASKS, Tuple.of(chainId))) {
            String payload = r.getString("payload");
            tasks.add(new TaskRow(r.getLong("id"), r.getDouble("task_order"), r.getString("name"), r.getString("kind"),
                    r.getString("command"), payload == null ? null : new JsonObject(payload), r.getBoolean("ignore_error"),
                    r.getBoolean("autonomous"), r.getInteger("timeout_seconds")));
        }
        return tasks;
    }

    /** The task's parameter sets as they are now (an earlier autonomous task may have rewritten them). */
    public List<Object> parameters(long taskId) {
        List<Object> values = new ArrayList<>();
        for (Row r : sql.query(PARAMETERS, Tuple.of(taskId))) {
            String value = r.getString("value");
            values.add(value == null ? null : Json.decodeValue(value));
        }
        return values;
    }

    /** Writes one log row, and its event if any, in a transaction of their own. */
    public void log(ChainLogEntry e, ChainEvent event) {
        sql.inTransaction(tx -> {
            tx.query(INSERT_LOG, Tuple.from(Arrays.asList(e.runId(), e.chainId(), e.taskId(), e.taskName(),
                    e.parameterIndex(), e.txid(), e.startedAt(), e.returnCode(), e.output(), e.params(), e.worker(),
                    e.clientName())));
            if (event != null) {
                events.publish(tx, event);
            }
            return null;
        });
    }

    public void publish(ChainEvent event) {
        sql.inTransaction(tx -> {
            events.publish(tx, event);
            return null;
        });
    }

    /** {@code queueLikes}: LIKE patterns the chain's queue must match (a caller's grants), or null for all chains. */
    public List<ChainLogEntry> logPage(Long chainId, Long runId, Long taskId, long afterId, int limit, List<String> queueLikes) {
        List<ChainLogEntry> out = new ArrayList<>();
        for (Row r : sql.query(LOG_PAGE, Tuple.from(Arrays.asList(chainId, runId, taskId, afterId, limit,
                queueLikes == null ? null : queueLikes.toArray(String[]::new))))) {
            out.add(new ChainLogEntry(r.getLong("id"), r.getLong("run_id"), r.getLong("chain_id"), r.getLong("task_id"),
                    r.getString("task_name"), r.getInteger("parameter_index"), r.getLong("txid"),
                    r.getOffsetDateTime("started_at"), r.getOffsetDateTime("finished_at"), r.getInteger("return_code"),
                    r.getString("output"), r.getString("params"), r.getString("worker"), r.getString("client_name")));
        }
        return out;
    }

    public List<Long> activeRuns(long chainId) {
        List<Long> ids = new ArrayList<>();
        for (Row r : sql.query(ACTIVE_RUNS, Tuple.of(chainId))) {
            ids.add(r.getLong("id"));
        }
        return ids;
    }

    public OffsetDateTime now() {
        return sql.query("SELECT now() AS now").iterator().next().getOffsetDateTime("now");
    }
}
