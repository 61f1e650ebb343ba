package dev.jobyard.command.sql;

import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

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
 * wraps it in a transaction with {@code SET LOCAL ROLE}. PostgreSQL's error is the attempt's error.
 */
@ApplicationScoped
public class SqlCommand implements JobHandler {

    /** An unquoted PostgreSQL identifier: the only role names accepted, so the name cannot carry SQL. */
    private static final Pattern ROLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}");

    private final CommandsConfig config;
    private final SqlTargets targets;
    private final Vertx vertx;

    SqlCommand(CommandsConfig config, SqlTargets targets, Vertx vertx) {
        this.config = config;
        this.targets = targets;
        this.vertx = vertx;
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
        String role = payload.optionalString("runAs");
        if (role != null && !ROLE.matcher(role).matches()) {
            throw Payload.bad("runAs", "must be a role name of letters, digits, _ and $ (at most 63), got '" + role + "'");
        }
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
            conn = await(PgConnection.connect(vertx, targets.options(payload.optionalString("datasource"))));
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        }
        try {
            if (role != null) {
                await(conn.query("BEGIN").execute());
                // The name matched ROLE at creation; quoting keeps its case as written.
                await(conn.query("SET LOCAL ROLE \"" + role + "\"").execute());
            }
            RowSet<Row> rows = params.isEmpty() ? await(conn.query(statement).execute())
                    : await(conn.preparedQuery(statement).execute(tuple(params)));
            if (role != null) {
                await(conn.query("COMMIT").execute());
            }
            while (rows.next() != null) {
                rows = rows.next();
            }
            return RowsJson.of(rows, maxRows);
        } catch (InterruptedException e) {
            // Timed out or cancelled: stop the statement on the server too, not only the wait for it.
            conn.cancelRequest();
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
