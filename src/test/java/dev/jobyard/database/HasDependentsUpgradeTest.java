package dev.jobyard.database;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import dev.jobyard.testing.TestDatabase;

/**
 * Upgrading a database whose jobs already wait for others (schema V5) to V6 and later marks the jobs waited
 * for, so their results are written first from the start, as for jobs whose dependents come after the upgrade.
 */
class HasDependentsUpgradeTest {

    @Test
    void jobsOthersAlreadyWaitForAreMarkedByTheUpgrade() throws SQLException {
        TestDatabase.Target target = TestDatabase.target();
        String database = target.database() + "_upgrade";
        String url = "jdbc:postgresql://" + target.host() + ":" + target.port() + "/" + database;
        admin(target, "DROP DATABASE IF EXISTS " + quoted(database) + " WITH (FORCE)");
        admin(target, "CREATE DATABASE " + quoted(database));
        try {
            // given a V5 database where job 2 waits for job 1, and job 3 waits for nothing
            migrate(url, target, "5");
            try (Connection c = DriverManager.getConnection(url, target.user(), target.password());
                    Statement s = c.createStatement()) {
                s.execute("INSERT INTO jobyard.job (id, kind) VALUES (1, 'noop'), (3, 'noop')");
                s.execute("INSERT INTO jobyard.job (id, kind, dependencies, pending_deps) VALUES (2, 'noop', '[1]', 1)");
                s.execute("INSERT INTO jobyard.job_dependency (depends_on, job_id) VALUES (1, 2)");
            }

            // when it is migrated to the latest version
            migrate(url, target, "latest");

            // then only job 1 is marked as having dependents
            Map<Long, Boolean> marked = new HashMap<>();
            try (Connection c = DriverManager.getConnection(url, target.user(), target.password());
                    ResultSet rs = c.createStatement().executeQuery("SELECT id, has_dependents FROM jobyard.job")) {
                while (rs.next()) {
                    marked.put(rs.getLong(1), rs.getBoolean(2));
                }
            }
            assertEquals(Map.of(1L, true, 2L, false, 3L, false), marked);
        } finally {
            admin(target, "DROP DATABASE IF EXISTS " + quoted(database) + " WITH (FORCE)");
        }
    }

    private static void migrate(String url, TestDatabase.Target target, String version) {
        Flyway.configure().dataSource(url, target.user(), target.password()).schemas("jobyard")
                .defaultSchema("jobyard").createSchemas(true).locations("classpath:db/migration").target(version)
                .load().migrate();
    }

    private static String quoted(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    private static void admin(TestDatabase.Target target, String sql) throws SQLException {
        String url = "jdbc:postgresql://" + target.host() + ":" + target.port() + "/postgres";
        try (Connection c = DriverManager.getConnection(url, target.user(), target.password());
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
