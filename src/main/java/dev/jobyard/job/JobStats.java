package dev.jobyard.job;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.database.Sql;
import io.vertx.mutiny.sqlclient.Row;

/** Counts and durations over active jobs and history, for the {@code stats} query. */
@ApplicationScoped
public class JobStats {

    private static final String COUNTS = """
            SELECT queue, status, count(*)::bigint AS n FROM jobyard.job GROUP BY queue, status
            UNION ALL
            SELECT queue, status, count(*)::bigint FROM jobyard.job_history GROUP BY queue, status
            ORDER BY 1, 2""";
    private static final String RECENT = """
            SELECT count(*) FILTER (WHERE status = 'COMPLETED' AND completed_at > now() - interval '1 minute') AS c1m,
                   count(*) FILTER (WHERE status = 'FAILED' AND completed_at > now() - interval '1 minute') AS f1m,
                   count(*) FILTER (WHERE status = 'COMPLETED') AS c1h,
                   count(*) FILTER (WHERE status = 'FAILED') AS f1h,
                   avg(duration_ms) FILTER (WHERE status = 'COMPLETED') AS mean_ms,
                   percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) FILTER (WHERE status = 'COMPLETED') AS p95_ms
              FROM jobyard.job_history WHERE completed_at > now() - interval '1 hour'""";

    private final Sql sql;

    JobStats(Sql sql) {
        this.sql = sql;
    }

    public record Count(String queue, JobStatus status, long count) {
    }

    /** Durations are of COMPLETED jobs that finished in the last hour. */
    public record Summary(List<Count> counts, long completedLastMinute, long failedLastMinute, long completedLastHour,
            long failedLastHour, Double meanDurationMs, Double p95DurationMs) {
    }

    public Summary summary() {
        List<Count> counts = new ArrayList<>();
        for (Row row : sql.query(COUNTS)) {
            counts.add(new Count(row.getString("queue"), JobStatus.valueOf(row.getString("status")), row.getLong("n")));
        }
        Row recent = sql.query(RECENT).iterator().next();
        return new Summary(counts, recent.getLong("c1m"), recent.getLong("f1m"), recent.getLong("c1h"),
                recent.getLong("f1h"), recent.getDouble("mean_ms"), recent.getDouble("p95_ms"));
    }
}
