package dev.jobyard.database;

import java.nio.file.Path;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

import dev.jobyard.config.JobyardConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * First thing at start-up: the embedded PostgreSQL when no datasource is configured, then the Flyway
 * migrations. Everything that touches the database starts after this (observers with a later
 * priority) and the readiness probe stays down until {@link #isReady()}.
 */
@ApplicationScoped
public class DatabaseBootstrap {

    public static final int STARTUP_PRIORITY = 10;
    private static final Logger LOG = Logger.getLogger(DatabaseBootstrap.class);

    private final JobyardConfig config;
    private final Instance<Flyway> flyway;
    private volatile EmbeddedPostgresServer embedded;
    private volatile boolean ready;

    DatabaseBootstrap(JobyardConfig config, Instance<Flyway> flyway) {
        this.config = config;
        this.flyway = flyway;
    }

    void onStart(@Observes @Priority(STARTUP_PRIORITY) StartupEvent event) {
        if (DatasourceDefaults.embeddedInEffect()) {
            Path dir = Path.of(config.embedded().dataDir());
            LOG.warnf("No datasource URL is configured, so Jobyard starts its own embedded PostgreSQL (data in %s). "
                    + "To use a real server set QUARKUS_DATASOURCE_REACTIVE_URL=postgresql://host:5432/db, "
                    + "QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://host:5432/db, QUARKUS_DATASOURCE_USERNAME and "
                    + "QUARKUS_DATASOURCE_PASSWORD.", dir.toAbsolutePath());
            embedded = EmbeddedPostgresServer.start(dir, config.embedded().port());
        }
        var result = flyway.get().migrate();
        LOG.infof("Schema jobyard is at version %s (%d migrations applied now)",
                flyway.get().info().current() == null ? "none" : flyway.get().info().current().getVersion(),
                result.migrationsExecuted);
        ready = true;
    }

    void onStop(@Observes @Priority(Integer.MAX_VALUE) ShutdownEvent event) {
        ready = false;
        if (embedded != null) {
            embedded.close();
        }
    }

    /** True once the schema is migrated; false again while shutting down. */
    public boolean isReady() {
        return ready;
    }
}
