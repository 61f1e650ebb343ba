package dev.jobyard.command.sql;

import java.util.concurrent.ExecutionException;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.command.BackendStopper;
import dev.jobyard.command.CommandRules;
import dev.jobyard.command.CommandsConfig;
import dev.jobyard.command.Payload;
import dev.jobyard.handler.FailedWithOutput;
import dev.jobyard.handler.JobContext;
import dev.jobyard.handler.JobHandler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

/**
 * {@code sql}: {@code {"sql": "...", "params": [...], "datasource": "name", "runAs": "role", "maxRows": n}}.
 * With params the statement runs as one prepared statement ({@code $1}, {@code $2}, ...); without, as a
 * simple query, which may hold several statements (the last one's rows are the result). {@code runAs}
 * runs on a connection that logs in as that role, so no statement can switch back to the service's
 * user (a {@code SET ROLE} inside a session of the service's user could always be undone), and always as
 * one prepared statement, which PostgreSQL refuses to hold several statements. PostgreSQL's error is the
 * attempt's error. A stopped statement is cancelled, then its backend terminated ({@link BackendStopper}).
 */
@ApplicationScoped
public class SqlCommand implements JobHandler {

    private final CommandsConfig config;
    private final SqlTargets targets;
    private final Vertx vertx;
    private final BackendStopper stopper;

    SqlCommand(CommandsConfig config, SqlTargets targets, Vertx vertx, BackendStopper stopper) {
        this.config = config;
        this.targets = targets;
        this.vertx = vertx;
        this.stopper = stopper;
    }

    @Override
    public String kind() {
        return "sql";
    }

    @Override
    public void validate(JsonObject json) {
        CommandRules.requireEnabled(config.sql().enabled(), kind(), "jobyard.commands.sql.enabled");
        Payload payload = Payload.of(json);
        payload.requiredString("sql");
        payload.array("params");
        targets.check(payload.optionalString("datasource"));
        targets.checkRole(payload.optionalString("runAs"));
        payload.integer("maxRows", config.sql().maxRows(), 0, config.sql().maxRows());
    }

    @Override
    public JsonObject handle(JobContext context) throws Exception {
        // The settings of the replica that runs the job decide, not those of the one that created it.
        validate(context.payload());
        Payload payload = Payload.of(context.payload());
        String statement = payload.requiredString("sql");
        JsonArray params = payload.array("params");
        String role = payload.optionalString("runAs");
        int maxRows = payload.integer("maxRows", config.sql().maxRows(), 0, config.sql().maxRows());
        PgConnection conn;
        try {
            conn = await(PgConnection.connect(vertx, targets.options(payload.optionalString("datasource"), role)));
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        }
        Future<RowSet<Row>> running = null;
        try {
            running = role != null || !params.isEmpty() ? conn.preparedQuery(statement).execute(tuple(params))
                    : conn.query(statement).execute();
            RowSet<Row> rows = await(running);
            while (rows.next() != null) {
                rows = rows.next();
            }
            return RowsJson.of(rows, maxRows);
        } catch (InterruptedException e) {
            // Timed out or cancelled: stop the statement on the server too, not only the wait for it.
            Future<RowSet<Row>> statementRun = running;
            stopper.stop(conn.processId(), conn::cancelRequest, () -> statementRun == null || statementRun.isComplete());
            throw e;
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        } finally {
            conn.close();
        }
    }

    /** Parameters as the driver binds them; getValue wraps nested objects and arrays as JSON, which binds as json. */
    private static Tuple tuple(JsonArray params) {
        Tuple tuple = Tuple.tuple();
        for (int i = 0; i < params.size(); i++) {
            tuple.addValue(params.getValue(i));
        }
        return tuple;
    }

    private static Exception failure(Throwable cause) {
        if (cause instanceof PgException pg) {
            JsonObject output = new JsonObject().put("error", pg.getErrorMessage()).put("sqlState", pg.getSqlState());
            if (pg.getDetail() != null) {
                output.put("detail", pg.getDetail());
            }
            if (pg.getHint() != null) {
                output.put("hint", pg.getHint());
            }
            return new FailedWithOutput(pg.getErrorMessage() + " (SQLSTATE " + pg.getSqlState() + ")", output, pg);
        }
        return cause instanceof Exception e ? e : new IllegalStateException(cause);
    }

    /** Waits for a Vert.x result on the worker thread; interruptible, so a timeout or cancel gets through. */
    private static <T> T await(Future<T> future) throws InterruptedException, ExecutionException {
        return future.toCompletionStage().toCompletableFuture().get();
    }
}
