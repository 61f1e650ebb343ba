package dev.jobyard.engine;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.database.Sql;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;

/** Lines that handlers write to a job's log ({@code job_log}). */
@ApplicationScoped
public class JobLog {

    private static final String APPEND = "INSERT INTO jobyard.job_log (job_id, attempt, level, message, data) VALUES ($1, $2, $3, $4, $5)";

    private final Sql sql;

    JobLog(Sql sql) {
        this.sql = sql;
    }

    public void append(long jobId, int attempt, String level, String message, JsonObject data) {
        String normalized = level == null ? "INFO" : level.toUpperCase(java.util.Locale.ROOT);
        sql.query(APPEND, Tuple.of(jobId, attempt, normalized, message, data));
    }
}
