package dev.jobyard.engine;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.jobyard.database.Sql;
import dev.jobyard.database.StorableText;
import dev.jobyard.observability.JobLogEcho;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;

/** Lines that handlers write to a job's log ({@code job_log}). */
@ApplicationScoped
public class JobLog {

    private static final String APPEND = "INSERT INTO jobyard.job_log (job_id, attempt, level, message, data) VALUES ($1, $2, $3, $4, $5)";

    private final Sql sql;
    @Inject
    JobLogEcho echo;

    JobLog(Sql sql) {
        this.sql = sql;
    }

    public record Line(long id, long jobId, int attempt, String level, String message, JsonObject data,
            java.time.OffsetDateTime at) {
    }

    /** A job's lines in the order written, after line {@code afterId}, optionally of one level. */
    public java.util.List<Line> lines(long jobId, String level, long afterId, int limit) {
        java.util.List<Line> lines = new java.util.ArrayList<>();
        for (var row : sql.query("SELECT id, job_id, attempt, level, message, data, created_at FROM jobyard.job_log"
                + " WHERE job_id = $1 AND ($2::text IS NULL OR level = upper($2)) AND id > $3 ORDER BY id LIMIT $4",
                Tuple.from(java.util.Arrays.asList(jobId, level, afterId, limit)))) {
            lines.add(new Line(row.getLong("id"), row.getLong("job_id"), row.getInteger("attempt"), row.getString("level"),
                    row.getString("message"), (JsonObject) row.getValue("data"), row.getOffsetDateTime("created_at")));
        }
        return lines;
    }

    public void append(long jobId, int attempt, String level, String message, JsonObject data) {
        String normalized = level == null ? "INFO" : level.toUpperCase(java.util.Locale.ROOT);
        sql.query(APPEND, Tuple.of(jobId, attempt, normalized, StorableText.text(message), StorableText.object(data)));
        echo.line(normalized, message);
    }
}
