package dev.jobyard.database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

import org.jboss.logging.Logger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A PostgreSQL server run from the binaries that the zonky artifact ships, with its data kept in a
 * directory across restarts. Used by the service when no datasource is configured, and by the tests
 * when no local server is configured.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedPostgresServer.class);

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    public static EmbeddedPostgresServer start(Path dataDir, int port) {
        // As root, zonky runs initdb and postgres inside a user namespace (unshare -U), where PostgreSQL's
        // refusal to run as root does not bite; elsewhere they run as the current user.
        try {
            Files.createDirectories(dataDir);
            boolean existing = Files.exists(dataDir.resolve("PG_VERSION"));
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
            ensureItIsOurs(pg, dataDir, port);
            LOG.infof("%s embedded PostgreSQL on 127.0.0.1:%d with data in %s", existing ? "Restarted" : "Created",
                    port, dataDir.toAbsolutePath());
            return new EmbeddedPostgresServer(pg);
        } catch (IOException e) {
            throw new IllegalStateException("Could not start the embedded PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * zonky reports success when anything on the port answers, so a port already held by another
     * PostgreSQL would silently become our database. Ask the server where its data lives.
     */
    private static void ensureItIsOurs(EmbeddedPostgres pg, Path dataDir, int port) throws IOException {
        String served;
        try (Connection c = pg.getPostgresDatabase().getConnection();
                ResultSet rs = c.createStatement().executeQuery("SHOW data_directory")) {
            rs.next();
            served = rs.getString(1);
        } catch (SQLException e) {
            pg.close();
            throw new IOException("the server on port " + port + " does not answer: " + e.getMessage(), e);
        }
        if (!sameDirectory(Path.of(served), dataDir)) {
            pg.close();
            throw new IllegalStateException("Port " + port + " is taken by another PostgreSQL (its data is in " + served
                    + "), so the embedded server for " + dataDir.toAbsolutePath() + " could not start there. Set"
                    + " jobyard.embedded.port to a free port.");
        }
    }

    private static boolean sameDirectory(Path served, Path ours) {
        try {
            return served.toRealPath().equals(ours.toRealPath());
        } catch (IOException e) {
            return false; // the other server's directory is not on this host (e.g. a container's port)
        }
    }

    public int port() {
        return postgres.getPort();
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warn("Stopping the embedded PostgreSQL failed", e);
        }
    }
}
