package dev.jobyard.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Reads the test database directly, as an operator with psql would: multi-process tests check what
 * the replicas committed, not only what one of them answers. Parameters bind in order; a
 * {@code java.util.List} binds as an array ({@code text[]} when it holds strings, else {@code bigint[]}).
 * The static methods use {@link TestDatabase}; {@link #on} reads another database the same way (a
 * {@link DisposablePostgres}).
 */
public final class Jdbc {

    /** The application name of the tests' own sessions, so that fault injection can spare them. */
    public static final String APPLICATION_NAME = "jobyard-test-harness";

    private final TestDatabase.Target db;

    private Jdbc(TestDatabase.Target db) {
        this.db = db;
    }

    /** The same helpers against {@code db}. */
    public static Jdbc on(TestDatabase.Target db) {
        return new Jdbc(db);
    }

    private static Jdbc test() {
        return new Jdbc(TestDatabase.target());
    }

    /** A connection of its own, for a test that holds a transaction open while the service works; close it. */
    public static Connection connect() {
        TestDatabase.Target db = TestDatabase.target();
        try {
            return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        } catch (SQLException e) {
            throw new IllegalStateException("could not connect: " + e.getMessage(), e);
        }
    }

    public static List<Map<String, Object>> rows(String sql, Object... args) {
        return test().query(sql, args);
    }

    /** Runs a statement that returns no rows; returns how many rows it changed. */
    public static int update(String sql, Object... args) {
        return test().execute(sql, args);
    }

    /** The only row of a query that must return exactly one. */
    public static Map<String, Object> row(String sql, Object... args) {
        return test().one(sql, args);
    }

    /** The first column of the only row. */
    public static <T> T value(String sql, Object... args) {
        return test().scalar(sql, args);
    }

    /** A new session of the harness's own (see {@link #APPLICATION_NAME}); the caller closes it. */
    public Connection session() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", db.user());
        if (!db.password().isEmpty()) {
            props.setProperty("password", db.password());
        }
        props.setProperty("ApplicationName", APPLICATION_NAME);
        props.setProperty("connectTimeout", "5");
        return DriverManager.getConnection(db.jdbcUrl(), props);
    }

    public List<Map<String, Object>> query(String sql, Object... args) {
        try (Connection c = session(); PreparedStatement statement = c.prepareStatement(sql)) {
            bind(c, statement, args);
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int col = 1; col <= meta.getColumnCount(); col++) {
                        row.put(meta.getColumnLabel(col), rs.getObject(col));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + sql + ": " + e.getMessage(), e);
        }
    }

    /** Runs a statement that returns no rows; returns how many rows it changed. */
    public int execute(String sql, Object... args) {
        try (Connection c = session(); PreparedStatement statement = c.prepareStatement(sql)) {
            bind(c, statement, args);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("statement failed: " + sql + ": " + e.getMessage(), e);
        }
    }

    /** The only row of a query that must return exactly one. */
    public Map<String, Object> one(String sql, Object... args) {
        List<Map<String, Object>> rows = query(sql, args);
        if (rows.size() != 1) {
            throw new AssertionError("expected one row from " + sql + ", got " + rows);
        }
        return rows.get(0);
    }

    /** The first column of the only row. */
    @SuppressWarnings("unchecked")
    public <T> T scalar(String sql, Object... args) {
        return (T) one(sql, args).values().iterator().next();
    }

    private static void bind(Connection c, PreparedStatement statement, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof List<?> list) {
                String type = !list.isEmpty() && list.get(0) instanceof String ? "text" : "bigint";
                statement.setArray(i + 1, c.createArrayOf(type, list.toArray()));
            } else {
                statement.setObject(i + 1, args[i]);
            }
        }
    }

    /**
     * Runs {@code sql} in a transaction that stays open, holding whatever the statement locked, until closed;
     * the server ends it after {@code atMost} of idling in any case, so a test that fails cannot leave it behind.
     */
    public static AutoCloseable holding(java.time.Duration atMost, String sql, Object... args) {
        TestDatabase.Target db = TestDatabase.target();
        try {
            Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
            c.setAutoCommit(false);
            c.createStatement().execute("SET LOCAL idle_in_transaction_session_timeout = " + atMost.toMillis());
            try (PreparedStatement statement = c.prepareStatement(sql)) {
                bind(c, statement, args);
                statement.execute();
            }
            return c::close;
        } catch (SQLException e) {
            throw new IllegalStateException("statement failed: " + sql + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code sql} (e.g. {@code SELECT ... FOR UPDATE}) in a transaction that stays open, holding its locks,
     * until the returned handle is closed; closing rolls it back. Another transaction in the way, as in production.
     */
    public static AutoCloseable holdInTransaction(String sql, Object... args) {
        return holding(java.time.Duration.ofMinutes(5), sql, args);
    }
}
