package dev.jobyard.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded PostgreSQL as the service starts it when no datasource is configured, for whichever
 * user runs the tests (root in CI): data kept across restarts, nothing left running after close.
 */
class EmbeddedPostgresServerTest {

    private Path base;

    @BeforeEach
    void createBase() throws IOException {
        base = Files.createDirectories(Path.of("target", "embedded-postgres-test", UUID.randomUUID().toString()))
                .toAbsolutePath();
    }

    @AfterEach
    void deleteBase() throws IOException {
        try (Stream<Path> paths = Files.walk(base)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    @Test
    void keepsDataAcrossRestartsAndLeavesNoProcessBehind() throws Exception {
        Path dataDir = base.resolve("pg");
        int port = freePort();

        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir, port)) {
            assertEquals(port, server.port());
            try (Connection c = connect(port)) {
                c.createStatement().execute("CREATE TABLE kept (note text)");
                c.createStatement().execute("INSERT INTO kept VALUES ('from the first run')");
            }
            assertTrue(!serverUsers(dataDir).isEmpty(), "the server runs from the data directory given");
        }
        assertGone(dataDir, port);

        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir, port);
                Connection c = connect(port)) {
            ResultSet rows = c.createStatement().executeQuery("SELECT note FROM kept");
            assertTrue(rows.next());
            assertEquals("from the first run", rows.getString(1));
        }
        assertGone(dataDir, port);
    }

    @Test
    void reportsWhyTheServerCannotStart() throws Exception {
        int port = freePort();
        try (EmbeddedPostgresServer first = EmbeddedPostgresServer.start(base.resolve("first"), port)) {
            var failure = assertThrows(RuntimeException.class,
                    () -> EmbeddedPostgresServer.start(base.resolve("second"), port).close());
            assertTrue(failure.getMessage().contains("second"), failure.getMessage());
            assertGone(base.resolve("second"), port, false);
            try (Connection c = connect(port)) {
                assertTrue(c.createStatement().executeQuery("SELECT 1").next(), "the first server is unaffected");
            }
        }
        assertGone(base.resolve("first"), port);
    }

    private static Connection connect(int port) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "postgres");
    }

    /** Users of the postgres processes that name the directory on their command line. */
    private static Set<String> serverUsers(Path dataDir) {
        return processesMentioning(dataDir).stream()
                .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                .map(p -> p.info().user().orElse("?"))
                .collect(Collectors.toSet());
    }

    private static List<ProcessHandle> processesMentioning(Path dataDir) {
        String dir = dataDir.toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(line -> line.contains(dir)).orElse(false))
                .toList();
    }

    private static void assertGone(Path dataDir, int port) {
        assertGone(dataDir, port, true);
    }

    private static void assertGone(Path dataDir, int port, boolean portFree) {
        // pg_ctl notices its failed server on its next poll: allow it a few seconds to go.
        dev.jobyard.testing.Await.until(java.time.Duration.ofSeconds(10),
                () -> processesMentioning(dataDir).stream().map(p -> p.info().commandLine().orElse("?")).toList(),
                List::isEmpty, "no process left for " + dataDir);
        assertTrue(Files.notExists(dataDir.resolve("postmaster.pid")), "postmaster.pid left in " + dataDir);
        if (portFree) {
            assertTrue(!accepts(port), "something still listens on " + port);
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
