package dev.jobyard.bench.workload;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import dev.jobyard.bench.BenchDatabase;

/**
 * Counts what the service sends to its database, read with JDBC from a connection to another database so that
 * the reading adds nothing. With pg_stat_statements loaded (shared_preload_libraries) it sums the calls of
 * every statement on the benchmark database; without it, the committed plus rolled-back transactions of
 * pg_stat_database, a lower bound (a transaction holds one statement or more). PostgreSQL 15 backends flush
 * their counters at most once a second when busy and within 10 s when idle, so a 30 s window is exact to a few.
 */
final class StatementCounter {

    private static final String STATEMENTS = "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements WHERE dbid = "
            + "(SELECT oid FROM pg_database WHERE datname = ?)";
    private static final String TRANSACTIONS = "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = ?";

    private final BenchDatabase database;
    private final boolean statements;

    private StatementCounter(BenchDatabase database, boolean statements) {
        this.database = database;
        this.statements = statements;
    }

    /** Uses pg_stat_statements when the server has it loaded (creating the extension in the admin database), else pg_stat_database. */
    static StatementCounter open(BenchDatabase database) throws SQLException {
        try (Connection admin = database.connectAdmin(); Statement s = admin.createStatement()) {
            // pg_settings hides what the role may not read (current_setting would fail), so a role without
            // pg_read_all_settings simply falls back to pg_stat_database.
            try (ResultSet rs = s.executeQuery("SELECT EXISTS (SELECT 1 FROM pg_settings WHERE name = 'shared_preload_libraries'"
                    + " AND setting LIKE '%pg_stat_statements%')")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return new StatementCounter(database, false);
                }
            }
            s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            return new StatementCounter(database, true);
        }
    }

    String source() {
        return statements ? "pg_stat_statements (sum of calls on the benchmark database)"
                : "pg_stat_database xact_commit + xact_rollback of the benchmark database (pg_stat_statements is not in"
                        + " shared_preload_libraries): transactions, a lower bound for statements";
    }

    String unit() {
        return statements ? "statements/s" : "transactions/s";
    }

    long read() throws SQLException {
        try (Connection admin = database.connectAdmin();
                PreparedStatement s = admin.prepareStatement(statements ? STATEMENTS : TRANSACTIONS)) {
            s.setString(1, database.name());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }
}
