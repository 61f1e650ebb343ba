package dev.jobyard.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.jobyard.testing.ReplicaProcess;
import dev.jobyard.testing.TestDatabase;

/**
 * Replicas of a new rollout that start together on an empty database do not race over the schema: every replica
 * runs Flyway at start-up, Flyway holds a PostgreSQL advisory lock for each migration's transaction, so each
 * migration is applied by one replica and found applied by the other. Uses a database of its own, {@code <test db>_migrate}, created empty here
 * (the role needs CREATEDB, as for BenchSmokeIT).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class MigrationsRunOnceIT {

    private static final Path MIGRATIONS = Path.of("src", "main", "resources", "db", "migration");
    private final TestDatabase.Target empty = fresh(TestDatabase.target());
    private final List<ReplicaProcess> replicas = new ArrayList<>();

    @Test
    void twoReplicasStartingTogetherOnAnEmptyDatabaseApplyEachMigrationOnce() throws Exception {
        // given an empty database
        recreate(empty);

        // when two replicas start at the same moment
        Path logs = Path.of("target", "it-replicas", "MigrationsRunOnceIT");
        for (String node : List.of("migrate-1", "migrate-2")) {
            replicas.add(ReplicaProcess.launch(node, ReplicaProcess.TEST_JVM_OPTIONS, empty.quarkusConfig(), logs));
        }

        // then both become ready
        replicas.forEach(r -> r.waitReady(Duration.ofSeconds(90)));
        // and each migration is in the history once, applied successfully
        int migrations = migrationFiles();
        assertEquals(List.of(), rows("SELECT version, count(*), bool_and(success) FROM jobyard.flyway_schema_history"
                + " WHERE version IS NOT NULL GROUP BY version HAVING count(*) <> 1 OR NOT bool_and(success)"));
        assertEquals(List.of(String.valueOf(migrations)),
                rows("SELECT count(*) FROM jobyard.flyway_schema_history WHERE version IS NOT NULL"));
        // and between them the two replicas applied each migration once: Flyway takes its lock for each
        // migration's transaction, so they may take turns (one applied 2 of 5, the other 3, in one run)
        List<Integer> applied = replicas.stream()
                .flatMap(r -> r.logLinesContaining("migrations applied now").stream())
                .map(line -> Integer.parseInt(line.replaceAll(".*\\((\\d+) migrations applied now\\).*", "$1"))).toList();
        assertEquals(2, applied.size(), "each replica reports what it applied: " + applied);
        assertEquals(migrations, applied.stream().mapToInt(Integer::intValue).sum(), "applied per replica: " + applied);
    }

    @AfterEach
    void stopAndDrop() throws SQLException {
        replicas.forEach(ReplicaProcess::close);
        try (Connection c = admin(empty); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + empty.database() + " WITH (FORCE)");
        }
    }

    private static TestDatabase.Target fresh(TestDatabase.Target test) {
        return new TestDatabase.Target(test.host(), test.port(), test.database() + "_migrate", test.user(),
                test.password());
    }

    private static void recreate(TestDatabase.Target target) throws SQLException {
        try (Connection c = admin(target); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + target.database() + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + target.database());
        }
    }

    private static Connection admin(TestDatabase.Target target) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + target.host() + ":" + target.port() + "/postgres",
                target.user(), target.password());
    }

    private List<String> rows(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(empty.jdbcUrl(), empty.user(), empty.password());
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.add(rs.getString(i));
                }
                rows.add(String.join(" ", row));
            }
        }
        return rows;
    }

    private static int migrationFiles() throws IOException {
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            return (int) files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
        }
    }
}
