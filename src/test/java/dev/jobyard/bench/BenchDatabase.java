package dev.jobyard.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.jobyard.testing.TestDatabase;

/**
 * The benchmark's own database, reached with plain JDBC. Every measurement starts on a fresh one, as the
 * peers' did: dropped and created again (or, under a running service that holds connections to it, its
 * jobyard tables emptied), then {@code VACUUM ANALYZE} and {@code CHECKPOINT} once the schema exists.
 * Because it is wiped, its name must contain "bench": a typo in {@code bench.db-url} must not empty a real database.
 */
public final class BenchDatabase {

    /** Maintenance database for DROP/CREATE DATABASE and for reading statistics without adding to them. */
    private static final String ADMIN_DATABASE = "postgres";
    // Everything a measurement writes; leader_lease and worker_node stay, a running service owns those rows.
    private static final String JOBYARD_DATA = "jobyard.job, jobyard.job_dependency, jobyard.job_history, jobyard.job_key,"
            + " jobyard.job_log, jobyard.queue, jobyard.schedule, jobyard.schedule_slot";

    private final TestDatabase.Target target;

    public BenchDatabase(String url) {
        this.target = TestDatabase.parse(url);
        if (!target.database().contains("bench")) {
            throw new IllegalArgumentException("the benchmark wipes its database before every measurement, so its name"
                    + " must contain 'bench'; got '" + target.database() + "' from " + url);
        }
    }

    public TestDatabase.Target target() {
        return target;
    }

    public String name() {
        return target.database();
    }

    /** The datasource settings a replica needs to use this database. */
    public Map<String, String> quarkusConfig() {
        return target.quarkusConfig();
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(target.jdbcUrl(), target.user(), target.password());
    }

    public Connection connectAdmin() throws SQLException {
        String url = "jdbc:postgresql://" + target.host() + ":" + target.port() + "/" + ADMIN_DATABASE;
        return DriverManager.getConnection(url, target.user(), target.password());
    }

    /** Drops the database (ending any session still on it) and creates it empty; the service migrates it. */
    public void recreate() throws SQLException {
        try (Connection c = connectAdmin(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + quoted() + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + quoted());
        }
    }

    /** For a running service: empties what the measurements write, keeping the schema and the service's own rows. */
    public void emptyJobyardTables() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE " + JOBYARD_DATA);
        }
    }

    /**
     * {@code VACUUM ANALYZE} then {@code CHECKPOINT}, as the peers did before each measurement. Returns a note
     * for each step the role may not run (CHECKPOINT needs superuser or pg_checkpoint), which then did not happen.
     */
    public List<String> vacuumAnalyzeAndCheckpoint() throws SQLException {
        List<String> notes = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("VACUUM ANALYZE");
        }
        checkpoint().ifPresent(notes::add);
        return notes;
    }

    /** A CHECKPOINT, so that the measured phase does not pay for flushing what the set-up wrote. */
    public java.util.Optional<String> checkpoint() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CHECKPOINT");
            return java.util.Optional.empty();
        } catch (SQLException e) {
            if ("42501".equals(e.getSQLState())) {
                return java.util.Optional.of("CHECKPOINT not run: role " + target.user() + " may not (" + e.getMessage() + ")");
            }
            throw e;
        }
    }

    /**
     * Server version and the settings the peers' report lists (stock config, autovacuum on, is what they were measured
     * on): without autovacuum no table is ever analyzed, and plans made while a table was small may stay.
     */
    public Map<String, String> serverFacts() throws SQLException {
        Map<String, String> facts = new TreeMap<>();
        try (Connection c = connectAdmin(); Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT name, setting || coalesce(' ' || unit, '') FROM pg_settings WHERE name IN"
                        + " ('server_version', 'shared_buffers', 'fsync', 'synchronous_commit', 'max_connections',"
                        + " 'shared_preload_libraries', 'wal_level', 'max_wal_size', 'autovacuum')")) {
            while (rs.next()) {
                facts.put(rs.getString(1), rs.getString(2));
            }
        }
        return facts;
    }

    private String quoted() {
        return "\"" + name().replace("\"", "\"\"") + "\"";
    }
}
