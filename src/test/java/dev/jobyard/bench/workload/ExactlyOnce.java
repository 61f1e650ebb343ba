package dev.jobyard.bench.workload;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import dev.jobyard.bench.Check;
import io.vertx.core.json.JsonObject;

/**
 * Checks in the database (plain JDBC) that every given job ran exactly once: it is archived in job_history as
 * COMPLETED with attempt 1 (claimed once, never retried or rescued), and none of them is left in job. A job id
 * is history's primary key, so no job can be archived twice.
 */
final class ExactlyOnce {

    private static final String HISTORY = """
            SELECT count(*) AS archived,
                   count(*) FILTER (WHERE status = 'COMPLETED') AS completed,
                   count(*) FILTER (WHERE status = 'COMPLETED' AND attempt = 1) AS completed_first_attempt
              FROM jobyard.job_history WHERE id = ANY(?)""";
    private static final String ACTIVE = "SELECT count(*) FROM jobyard.job WHERE id = ANY(?)";

    /** The counts seen, also kept in the measurement's JSON. */
    record Seen(int expected, long archived, long completed, long completedFirstAttempt, long active) {
        boolean ok() {
            return archived == expected && completed == expected && completedFirstAttempt == expected && active == 0;
        }

        JsonObject json() {
            return new JsonObject().put("expected", expected).put("archived", archived).put("completed", completed)
                    .put("completedFirstAttempt", completedFirstAttempt).put("active", active).put("exactlyOnce", ok());
        }

        Check check(String label) {
            return new Check(label, ok(), completed + " of " + expected + " COMPLETED in job_history, "
                    + completedFirstAttempt + " with attempt 1, " + (archived - completed) + " archived otherwise, "
                    + active + " still active");
        }
    }

    private ExactlyOnce() {
    }

    static Seen verify(Connection connection, List<Long> ids) throws SQLException {
        Array array = connection.createArrayOf("bigint", ids.toArray());
        long archived;
        long completed;
        long firstAttempt;
        try (PreparedStatement s = connection.prepareStatement(HISTORY)) {
            s.setArray(1, array);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                archived = rs.getLong("archived");
                completed = rs.getLong("completed");
                firstAttempt = rs.getLong("completed_first_attempt");
            }
        }
        long active;
        try (PreparedStatement s = connection.prepareStatement(ACTIVE)) {
            s.setArray(1, array);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                active = rs.getLong(1);
            }
        }
        return new Seen(ids.size(), archived, completed, firstAttempt, active);
    }
}
