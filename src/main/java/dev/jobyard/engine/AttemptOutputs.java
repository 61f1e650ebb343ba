package dev.jobyard.engine;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.database.Sql;
import dev.jobyard.database.StorableText;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * What failed or cancelled attempts produced ({@code attempt_output}). A successful attempt's output
 * is its result, kept in history; the others' would be lost with their error string, so it is kept
 * here, written by the completer in the transaction that records the attempt's end.
 */
@ApplicationScoped
public class AttemptOutputs {

    private static final String INSERT = """
            INSERT INTO jobyard.attempt_output (job_id, attempt, status, error, output) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (job_id, attempt) DO NOTHING""";

    private final Sql sql;

    AttemptOutputs(Sql sql) {
        this.sql = sql;
    }

    public record Entry(int attempt, String status, String error, JsonObject output, OffsetDateTime at) {
    }

    void write(Sql.Tx tx, Outcome outcome) {
        if (outcome instanceof Outcome.Failed f && f.output() != null) {
            tx.query(INSERT, Tuple.of(f.fence().jobId(), f.fence().attempt(), "FAILED", StorableText.text(f.error()),
                    StorableText.object(f.output())));
        } else if (outcome instanceof Outcome.Cancelled c && c.output() != null) {
            tx.query(INSERT, Tuple.of(c.fence().jobId(), c.fence().attempt(), "CANCELLED", StorableText.text(c.reason()),
                    StorableText.object(c.output())));
        }
    }

    /** A job's failed and cancelled attempts that left output, by attempt. */
    public List<Entry> of(long jobId) {
        List<Entry> entries = new ArrayList<>();
        for (var row : sql.query("SELECT attempt, status, error, output, created_at FROM jobyard.attempt_output"
                + " WHERE job_id = $1 ORDER BY attempt", Tuple.of(jobId))) {
            entries.add(new Entry(row.getInteger("attempt"), row.getString("status"), row.getString("error"),
                    (JsonObject) row.getValue("output"), row.getOffsetDateTime("created_at")));
        }
        return entries;
    }
}
