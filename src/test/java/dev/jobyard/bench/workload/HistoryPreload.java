package dev.jobyard.bench.workload;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Fills job_history with plain SQL (generate_series), not through the API: W3 needs a million finished jobs
 * already there, as a service that has run for a while has, and creating them through the engine would take
 * longer than the measurement. Ids drawn from the job id sequence (the warm-up's jobs are in history already),
 * finished over the last 24 hours, 2 % FAILED; new jobs get later ids, as they would have.
 */
final class HistoryPreload {

    private static final String INSERT = """
            INSERT INTO jobyard.job_history (id, queue, kind, payload, labels, priority, status, run_at, attempt,
                    max_attempts, dependencies, errors, error, worker, created_at, started_at, completed_at, duration_ms)
            SELECT nextval('jobyard.job_id_seq'), 'default', 'noop', jsonb_build_object('i', g), '{}'::jsonb, 0,
                   CASE WHEN g % 50 = 0 THEN 'FAILED' ELSE 'COMPLETED' END, t, CASE WHEN g % 50 = 0 THEN 3 ELSE 1 END, 3,
                   '[]'::jsonb, '[]'::jsonb, CASE WHEN g % 50 = 0 THEN 'preloaded failure' END, 'bench-preload',
                   t, t + interval '5 milliseconds', t + interval '8 milliseconds', 3
              FROM generate_series(1, ?) AS g
             CROSS JOIN LATERAL (SELECT now() - (? - g) * (interval '86400 seconds' / ?)) AS x(t)""";

    private HistoryPreload() {
    }

    static void load(Connection connection, int rows) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setInt(1, rows);
            insert.setInt(2, rows);
            insert.setInt(3, rows);
            insert.executeUpdate();
        }
    }
}
