package dev.jobyard.chain.run;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.jobyard.chain.ChainEvent;
import dev.jobyard.chain.ChainEventType;
import dev.jobyard.chain.definition.ChainRules;
import dev.jobyard.command.sql.RowsJson;
import dev.jobyard.common.BadInputException;
import dev.jobyard.handler.FailedWithOutput;
import dev.jobyard.handler.JobContext;
import dev.jobyard.handler.JobHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

/**
 * One run of one chain on the worker thread of its job. The non-autonomous {@code sql} tasks share one
 * transaction on a connection of the run's own, with a savepoint around each execution; autonomous ones
 * commit on a connection of their own; other kinds run through their handlers, in-process. A failure that
 * is not ignored rolls the transaction back, skips the rest, runs onError in a transaction of its own and
 * fails the run. A cancel (the engine interrupts the thread and reports {@link JobContext#isCancelled()})
 * stops the running statement and rolls back without onError. Timeouts are the run's own timers, so that it
 * can tell a timeout (a failure) from a cancel.
 */
final class ChainRun {

    private static final String SAVEPOINT = "SAVEPOINT jobyard_task";
    private static final String RELEASE = "RELEASE SAVEPOINT jobyard_task";
    private static final String ROLLBACK_TO = "ROLLBACK TO SAVEPOINT jobyard_task";
    // client_connection_check_interval (PostgreSQL 14+, absent before: then no row, no error): if this replica dies
    // mid-statement (kill -9), the server notices the closed socket within a second and ends the orphaned backend,
    // rolling back at once instead of when the statement ends, so the rescued run is not held up by its locks.
    private static final String SETTINGS = "SELECT txid_current() AS txid, set_config('jobyard.chain_id', $1, true),"
            + " set_config('jobyard.chain_run_id', $2, true), (SELECT set_config(name, '1000', true) FROM pg_settings"
            + " WHERE name = 'client_connection_check_interval')";
    private static final String SESSION_SETTINGS = "SELECT set_config('jobyard.chain_id', $1, false),"
            + " set_config('jobyard.chain_run_id', $2, false)";
    private static final String ERROR_SETTINGS = "SELECT set_config('jobyard.chain_id', $1, true),"
            + " set_config('jobyard.chain_run_id', $2, true), set_config('jobyard.chain_error', $3, true)";
    private static final int MAX_OUTPUT = 10_000;

    private final JobContext context;
    private final ChainRunStore.ChainRow chain;
    private final List<ChainRunStore.TaskRow> tasks;
    private final String clientName;
    private final ChainHandler env;
    private final Thread thread = Thread.currentThread();
    private final Object alarms = new Object();
    private long armed = -1;
    private long executionNo;
    private boolean running = true;
    private volatile boolean taskTimedOut;
    private volatile boolean chainTimedOut;
    private PgConnection conn;
    private Long txid;

    ChainRun(JobContext context, ChainRunStore.ChainRow chain, List<ChainRunStore.TaskRow> tasks, String clientName,
            ChainHandler env) {
        this.context = context;
        this.chain = chain;
        this.tasks = tasks;
        this.clientName = clientName;
        this.env = env;
    }

    /** A task execution that failed (error, timeout); the run decides whether that ends it. */
    private static final class TaskFailed extends Exception {
        final int code;

        TaskFailed(String message, int code) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    JsonObject run() throws Exception {
        ScheduledFuture<?> chainTimer = chain.timeoutSeconds() == null ? null : env.timers().schedule(() -> {
            synchronized (alarms) {
                if (running) {
                    chainTimedOut = true;
                    thread.interrupt();
                }
            }
        }, chain.timeoutSeconds(), TimeUnit.SECONDS);
        int executions = 0;
        int ignored = 0;
        String failure = null;
        try {
            conn = connect();
            await(conn.query("BEGIN").execute());
            txid = await(conn.preparedQuery(SETTINGS).execute(Tuple.of(String.valueOf(chain.id()),
                    String.valueOf(context.jobId())))).iterator().next().getLong("txid");
            env.store().publish(event(ChainEventType.STARTED, null, "attempt " + context.attempt()));
            tasks: for (ChainRunStore.TaskRow task : tasks) {
                List<Object> parameters = env.store().parameters(task.id());
                int count = Math.max(1, parameters.size());
                String taskError = null;
                for (int j = 0; j < count; j++) {
                    Object parameter = parameters.isEmpty() ? null : parameters.get(j);
                    OffsetDateTime started = OffsetDateTime.now();
                    int code = 0;
                    String output;
                    try {
                        output = execute(task, parameter, j);
                    } catch (TaskFailed f) {
                        code = f.code;
                        output = f.getMessage();
                    }
                    executions++;
                    boolean last = j == count - 1 || code != 0 && !task.ignoreError();
                    ChainEventType type = code != 0 ? ChainEventType.TASK_FAILED : ChainEventType.TASK_SUCCEEDED;
                    if (code != 0) {
                        taskError = output;
                    }
                    env.store().log(new ChainLogEntry(0, context.jobId(), chain.id(), task.id(), task.name(),
                            parameters.isEmpty() ? null : j + 1, txid, started, null, code, cap(output),
                            parameter == null ? null : ChainRules.TaskRules.encode(parameter), env.worker(), clientName),
                            last ? event(taskError != null ? ChainEventType.TASK_FAILED : type, task.id(), taskError) : null);
                    stopIfCancelled();
                    if (chainTimedOut) {
                        failure = "chain timed out after " + chain.timeoutSeconds() + "s in " + task.label();
                        break tasks;
                    }
                    if (code != 0) {
                        if (!task.ignoreError()) {
                            failure = task.label() + " failed: " + output;
                            break tasks;
                        }
                        ignored++;
                    }
                }
            }
            if (failure == null) {
                await(conn.query("COMMIT").execute());
                return result(executions, ignored);
            }
        } catch (InterruptedException e) {
            if (!chainTimedOut || context.isCancelled()) {
                throw e; // cancelled, or stopped by the engine: the transaction dies with the connection, no onError
            }
            failure = "chain timed out after " + chain.timeoutSeconds() + "s";
        } finally {
            synchronized (alarms) {
                running = false;
            }
            if (chainTimer != null) {
                chainTimer.cancel(false);
            }
            closeConnection();
        }
        // Rolled back with the connection's close; onError runs on a fresh one.
        Thread.interrupted();
        onError(failure);
        throw new FailedWithOutput(failure, result(executions, ignored));
    }

    private JsonObject result(int executions, int ignored) {
        return new JsonObject().put("chainId", chain.id()).put("txid", txid).put("tasks", tasks.size())
                .put("executions", executions).put("ignoredFailures", ignored);
    }

    private ChainEvent event(ChainEventType type, Long taskId, String detail) {
        return new ChainEvent(chain.id(), chain.name(), type, context.jobId(), taskId, OffsetDateTime.now(),
                detail == null ? null : detail.length() > 500 ? detail.substring(0, 500) + "…" : detail);
    }

    private void stopIfCancelled() throws InterruptedException {
        if (context.isCancelled()) {
            throw new InterruptedException("cancelled");
        }
    }

    // ---- one execution ----

    private String execute(ChainRunStore.TaskRow task, Object parameter, int index) throws TaskFailed, InterruptedException {
        JsonObject payload;
        JobHandler handler;
        try {
            handler = env.payloads().handler("kind", task.kind());
            payload = env.payloads().build("task", task.kind(), task.command(), task.payload(), parameter, index);
            env.payloads().validate("task", handler, task.kind(), task.command(), payload, index, parameter != null);
        } catch (BadInputException e) {
            throw new TaskFailed(e.getMessage(), 1);
        }
        long no = arm(task.timeoutSeconds());
        try {
            if ("sql".equals(task.kind()) && payload.getString("runAs") == null && payload.getString("datasource") == null) {
                return task.autonomous() ? autonomousSql(payload) : chainSql(payload);
            }
            // Other kinds, and sql with runAs or a datasource (a login of its own): through the kind's handler.
            return inProcess(handler, task, payload);
        } finally {
            disarm(no);
        }
    }

    private String chainSql(JsonObject payload) throws TaskFailed, InterruptedException {
        await(conn.query(SAVEPOINT).execute());
        try {
            String output = statement(conn, payload);
            await(conn.query(RELEASE).execute());
            return output;
        } catch (TaskFailed f) {
            await(conn.query(ROLLBACK_TO).execute());
            throw f;
        }
    }

    private String autonomousSql(JsonObject payload) throws TaskFailed, InterruptedException {
        PgConnection own = connect();
        try {
            await(own.preparedQuery(SESSION_SETTINGS).execute(Tuple.of(String.valueOf(chain.id()),
                    String.valueOf(context.jobId()))));
            return statement(own, payload);
        } finally {
            own.close();
        }
    }

    /** Runs a sql payload on {@code c}; a timeout cancels the statement and fails the execution. */
    private String statement(PgConnection c, JsonObject payload) throws TaskFailed, InterruptedException {
        String sql = payload.getString("sql");
        JsonArray params = payload.getJsonArray("params", new JsonArray());
        int maxRows = payload.getInteger("maxRows", env.maxRows());
        Future<RowSet<Row>> running = params.isEmpty() ? c.query(sql).execute() : c.preparedQuery(sql).execute(tuple(params));
        try {
            RowSet<Row> rows = running.toCompletionStage().toCompletableFuture().get();
            while (rows.next() != null) {
                rows = rows.next();
            }
            return RowsJson.of(rows, Math.min(maxRows, env.maxRows())).encode();
        } catch (ExecutionException e) {
            throw new TaskFailed(describe(e.getCause()), 1);
        } catch (InterruptedException e) {
            env.stopper().stop(c.processId(), c::cancelRequest, running::isComplete);
            if (context.isCancelled() || !taskTimedOut && !chainTimedOut) {
                throw e;
            }
            awaitQuietly(running);
            if (chainTimedOut) {
                throw e;
            }
            throw new TaskFailed("timed out", 1);
        }
    }

    private String inProcess(JobHandler handler, ChainRunStore.TaskRow task, JsonObject payload)
            throws TaskFailed, InterruptedException {
        try {
            JsonObject result = handler.handle(new TaskContext(task, payload));
            if (taskTimedOut) {
                throw new TaskFailed("timed out", 1);
            }
            stopIfCancelled();
            if (chainTimedOut) {
                throw new InterruptedException("chain timed out");
            }
            return result == null ? null : result.encode();
        } catch (InterruptedException e) {
            if (context.isCancelled() || chainTimedOut || !taskTimedOut) {
                throw e;
            }
            throw new TaskFailed("timed out", 1);
        } catch (FailedWithOutput f) {
            if (context.isCancelled()) {
                throw new InterruptedException("cancelled");
            }
            JsonObject output = f.output();
            int code = output != null && output.getValue("exitCode") instanceof Number n && n.intValue() != 0 ? n.intValue() : 1;
            throw new TaskFailed(f.getMessage() + (output == null ? "" : " " + output.encode()), code);
        } catch (TaskFailed f) {
            throw f;
        } catch (Exception e) {
            if (context.isCancelled()) {
                throw new InterruptedException("cancelled");
            }
            throw new TaskFailed(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), 1);
        }
    }

    // ---- onError ----

    private void onError(String failure) {
        if (chain.onError() == null) {
            return;
        }
        OffsetDateTime started = OffsetDateTime.now();
        int code = 0;
        String output;
        PgConnection own = null;
        try {
            own = connect();
            await(own.query("BEGIN").execute());
            await(own.preparedQuery(ERROR_SETTINGS).execute(Tuple.of(String.valueOf(chain.id()),
                    String.valueOf(context.jobId()), failure)));
            output = statement(own, new JsonObject().put("sql", chain.onError()));
            await(own.query("COMMIT").execute());
        } catch (TaskFailed f) {
            code = f.code;
            output = f.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            code = 1;
            output = "stopped";
        } catch (RuntimeException e) {
            code = 1;
            output = e.getMessage();
        } finally {
            if (own != null) {
                own.close();
            }
        }
        env.store().log(new ChainLogEntry(0, context.jobId(), chain.id(), null, "onError", null, txid, started, null, code,
                cap(output), null, env.worker(), clientName), null);
    }

    // ---- timers ----

    private long arm(Integer timeoutSeconds) {
        synchronized (alarms) {
            long no = ++executionNo;
            armed = no;
            taskTimedOut = false;
            if (timeoutSeconds != null) {
                env.timers().schedule(() -> {
                    synchronized (alarms) {
                        if (armed == no && running) {
                            taskTimedOut = true;
                            thread.interrupt();
                        }
                    }
                }, timeoutSeconds, TimeUnit.SECONDS);
            }
            return no;
        }
    }

    private void disarm(long no) {
        synchronized (alarms) {
            if (armed == no) {
                armed = -1;
            }
        }
        if (taskTimedOut) {
            Thread.interrupted(); // the alarm's interrupt, if the execution ended before it was seen
        }
    }

    // ---- plumbing ----

    private PgConnection connect() throws TaskFailed, InterruptedException {
        if (!env.sqlEnabled()) {
            throw new TaskFailed("sql is disabled on this replica (jobyard.commands.sql.enabled)", 1);
        }
        try {
            return PgConnection.connect(env.vertx(), env.targets().serviceDatabase()).toCompletionStage().toCompletableFuture().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot connect for the chain's transaction: " + describe(e.getCause()), e.getCause());
        }
    }

    private void closeConnection() {
        if (conn != null) {
            conn.close();
            conn = null;
        }
    }

    private static <T> T await(Future<T> future) throws InterruptedException, TaskFailed {
        try {
            return future.toCompletionStage().toCompletableFuture().get();
        } catch (ExecutionException e) {
            throw new TaskFailed(describe(e.getCause()), 1);
        }
    }

    private static void awaitQuietly(Future<?> future) {
        try {
            future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // its error is the cancel we asked for
        }
    }

    private static Tuple tuple(JsonArray params) {
        Tuple tuple = Tuple.tuple();
        for (int i = 0; i < params.size(); i++) {
            tuple.addValue(params.getValue(i));
        }
        return tuple;
    }

    private static String describe(Throwable t) {
        if (t instanceof PgException pg) {
            return pg.getErrorMessage() + " (SQLSTATE " + pg.getSqlState() + ")";
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static String cap(String output) {
        return output == null || output.length() <= MAX_OUTPUT ? output : output.substring(0, MAX_OUTPUT) + "…";
    }

    /** What an in-process task's handler sees: the run's job, the task's kind and execution payload. */
    private final class TaskContext implements JobContext {
        private final ChainRunStore.TaskRow task;
        private final JsonObject payload;

        TaskContext(ChainRunStore.TaskRow task, JsonObject payload) {
            this.task = task;
            this.payload = payload;
        }

        @Override
        public long jobId() {
            return context.jobId();
        }

        @Override
        public String kind() {
            return task.kind();
        }

        @Override
        public String queue() {
            return context.queue();
        }

        @Override
        public int attempt() {
            return context.attempt();
        }

        @Override
        public int maxAttempts() {
            return context.maxAttempts();
        }

        @Override
        public JsonObject payload() {
            return payload;
        }

        @Override
        public JsonObject labels() {
            return context.labels();
        }

        @Override
        public boolean isCancelled() {
            return context.isCancelled() || taskTimedOut || chainTimedOut;
        }

        @Override
        public void log(String level, String message, JsonObject data) {
            context.log(level, message, data);
        }

        @Override
        public dev.jobyard.job.Fence fence() {
            return context.fence();
        }
    }
}
