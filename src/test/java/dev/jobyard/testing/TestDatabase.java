package dev.jobyard.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

import dev.jobyard.database.EmbeddedPostgresServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The database every test uses, chosen in this order and never skipped:
 * <ol>
 * <li>{@code JOBYARD_TEST_DB_URL} ({@code postgresql://user[:password]@host:port/db}), as .ci/run sets it;</li>
 * <li>a PostgreSQL answering on 127.0.0.1:5432, where database {@code jobyard_test} is created if missing;</li>
 * <li>otherwise the embedded PostgreSQL the service itself can start.</li>
 * </ol>
 * If none works the tests fail with the reason.
 */
@QuarkusTestResource(value = TestDatabase.class, restrictToAnnotatedClass = false)
public class TestDatabase implements QuarkusTestResourceLifecycleManager {

    public static final String ENV = "JOBYARD_TEST_DB_URL";
    private EmbeddedPostgresServer embedded;

    /** Where the tests' database is, as a reactive URL with credentials. */
    public record Target(String host, int port, String database, String user, String password) {
        public String reactiveUrl() {
            return "postgresql://" + host + ":" + port + "/" + database;
        }

        public String jdbcUrl() {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }

        public Map<String, String> quarkusConfig() {
            Map<String, String> config = new java.util.HashMap<>(Map.of("quarkus.datasource.reactive.url", reactiveUrl(),
                    "quarkus.datasource.jdbc.url", jdbcUrl(), "quarkus.datasource.username", user));
            if (!password.isEmpty()) {
                config.put("quarkus.datasource.password", password);
            }
            return config;
        }
    }

    private static Target resolved;

    @Override
    public Map<String, String> start() {
        return target().quarkusConfig();
    }

    /** The test database, found (and created) once per JVM. */
    public static synchronized Target target() {
        if (resolved == null) {
            resolved = resolve();
        }
        return resolved;
    }

    private static Target resolve() {
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return parse(env);
        }
        if (answers("127.0.0.1", 5432)) {
            Target local = new Target("127.0.0.1", 5432, "jobyard_test", "postgres", "");
            ensureDatabase(local);
            return local;
        }
        int port = freePort();
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(Path.of("target", "embedded-pg"), port);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        return new Target("127.0.0.1", server.port(), "postgres", "postgres", "postgres");
    }

    /** Reads {@code postgresql://user[:password]@host[:port]/db} (a {@code jdbc:} prefix is allowed). */
    public static Target parse(String url) {
        URI uri = URI.create(url.replaceFirst("^jdbc:", ""));
        String user = "postgres";
        String password = "";
        if (uri.getUserInfo() != null) {
            String[] parts = uri.getUserInfo().split(":", 2);
            user = parts[0];
            password = parts.length > 1 ? parts[1] : "";
        }
        return new Target(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), uri.getPath().substring(1), user,
                password);
    }

    private static void ensureDatabase(Target target) {
        String admin = "jdbc:postgresql://" + target.host() + ":" + target.port() + "/postgres";
        try (Connection c = DriverManager.getConnection(admin, target.user(), target.password())) {
            var rs = c.createStatement().executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + target.database() + "'");
            if (!rs.next()) {
                c.createStatement().execute("CREATE DATABASE " + target.database());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL answers on " + target.host() + ":" + target.port()
                    + " but database " + target.database() + " could not be prepared: " + e.getMessage()
                    + ". Set " + ENV + " to a database the tests may use.", e);
        }
    }

    private static boolean answers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        // The database outlives the application under test; the embedded one stops with the JVM.
    }
}
