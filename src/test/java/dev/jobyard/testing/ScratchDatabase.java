package dev.jobyard.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import org.flywaydb.core.Flyway;

/**
 * A database of its own next to the test database, {@code <test db>_<suffix>}, made empty, for tests that
 * migrate a schema step by step (an upgrade with data in it). Closing drops it. The role needs CREATEDB.
 */
public final class ScratchDatabase implements AutoCloseable {

    private final TestDatabase.Target target = TestDatabase.target();
    private final String name;
    private final String url;

    public ScratchDatabase(String suffix) {
        this.name = target.database() + "_" + suffix;
        this.url = "jdbc:postgresql://" + target.host() + ":" + target.port() + "/" + name;
        admin("DROP DATABASE IF EXISTS " + quoted(name) + " WITH (FORCE)");
        admin("CREATE DATABASE " + quoted(name));
    }

    /** Applies the migrations up to {@code version} ("latest" for all). */
    public void migrate(String version) {
        Flyway.configure().dataSource(url, target.user(), target.password()).schemas("jobyard")
                .defaultSchema("jobyard").createSchemas(true).locations("classpath:db/migration").target(version)
                .load().migrate();
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, target.user(), target.password());
    }

    /** Runs statements that return nothing. */
    public void execute(String... statements) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    @Override
    public void close() {
        admin("DROP DATABASE IF EXISTS " + quoted(name) + " WITH (FORCE)");
    }

    private static String quoted(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    private void admin(String sql) {
        String adminUrl = "jdbc:postgresql://" + target.host() + ":" + target.port() + "/postgres";
        try (Connection c = DriverManager.getConnection(adminUrl, target.user(), target.password());
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
