package dev.jobyard.database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        if ("root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("PostgreSQL refuses to run as root, so the embedded database cannot start. "
                    + "Run Jobyard as an ordinary user, or point it at a server with QUARKUS_DATASOURCE_REACTIVE_URL "
                    + "and QUARKUS_DATASOURCE_JDBC_URL (see README, 'Configuration').");
        }
        try {
            Files.createDirectories(dataDir);
            boolean existing = Files.exists(dataDir.resolve("PG_VERSION"));
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
            LOG.infof("%s embedded PostgreSQL on 127.0.0.1:%d with data in %s", existing ? "Restarted" : "Created",
                    port, dataDir.toAbsolutePath());
            return new EmbeddedPostgresServer(pg);
        } catch (IOException e) {
            throw new IllegalStateException("Could not start the embedded PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
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
