package dev.jobyard.database;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.ScratchDatabase;

/**
 * Upgrading a database whose jobs already wait for others (schema V5) to V6 and later marks the jobs waited
 * for, so their results are written first from the start, as for jobs whose dependents come after the upgrade.
 */
class HasDependentsUpgradeTest {

    @Test
    void jobsOthersAlreadyWaitForAreMarkedByTheUpgrade() throws SQLException {
        try (ScratchDatabase db = new ScratchDatabase("upgrade")) {
            // given a V5 database where job 2 waits for job 1, and job 3 waits for nothing
            db.migrate("5");
            db.execute("INSERT INTO jobyard.job (id, kind) VALUES (1, 'noop'), (3, 'noop')",
                    "INSERT INTO jobyard.job (id, kind, dependencies, pending_deps) VALUES (2, 'noop', '[1]', 1)",
                    "INSERT INTO jobyard.job_dependency (depends_on, job_id) VALUES (1, 2)");

            // when it is migrated to the latest version
            db.migrate("latest");

            // then only job 1 is marked as having dependents
            Map<Long, Boolean> marked = new HashMap<>();
            try (Connection c = db.connect();
                    ResultSet rs = c.createStatement().executeQuery("SELECT id, has_dependents FROM jobyard.job")) {
                while (rs.next()) {
                    marked.put(rs.getLong(1), rs.getBoolean(2));
                }
            }
            assertEquals(Map.of(1L, true, 2L, false, 3L, false), marked);
        }
    }
}
