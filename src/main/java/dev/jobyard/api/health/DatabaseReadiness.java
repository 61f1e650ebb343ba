package dev.jobyard.api.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.jobyard.database.DatabaseBootstrap;
import dev.jobyard.database.Sql;

/** Ready only when the schema is migrated and the database answers now. */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {

    private final DatabaseBootstrap bootstrap;
    private final Sql sql;

    DatabaseReadiness(DatabaseBootstrap bootstrap, Sql sql) {
        this.bootstrap = bootstrap;
        this.sql = sql;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("database").withData("migrated", bootstrap.isReady());
        if (!bootstrap.isReady()) {
            return response.down().build();
        }
        try {
            sql.query("SELECT 1");
            return response.up().build();
        } catch (RuntimeException e) {
            return response.down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
