package dev.jobyard.command.sql;

import java.util.Map;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.Config;

import dev.jobyard.command.CommandsConfig;
import dev.jobyard.command.Payload;
import io.vertx.pgclient.PgConnectOptions;

/**
 * Where a {@code sql} job connects: the service's own database (the reactive datasource's URL and
 * credentials) or an extra one from {@code jobyard.commands.sql.datasources.<name>}. Each job gets a
 * connection of its own, so a long statement holds no pooled connection and can be cancelled.
 */
@ApplicationScoped
public class SqlTargets {

    static final String KEY = "jobyard.commands.sql.datasources";

    private final Map<String, CommandsConfig.Datasource> extra;
    private final Config config;

    SqlTargets(CommandsConfig commands, Config config) {
        this.extra = commands.sql().datasources();
        this.config = config;
    }

    void check(String name) {
        if (name != null && !extra.containsKey(name)) {
            throw Payload.bad("datasource", "no datasource '" + name + "'; an operator configures it as " + KEY + "." + name
                    + ".url (configured: " + new TreeSet<>(extra.keySet()) + ")");
        }
    }

    PgConnectOptions options(String name) {
        if (name == null) {
            PgConnectOptions options = PgConnectOptions.fromUri(config.getValue("quarkus.datasource.reactive.url", String.class));
            config.getOptionalValue("quarkus.datasource.username", String.class).ifPresent(options::setUser);
            config.getOptionalValue("quarkus.datasource.password", String.class).ifPresent(options::setPassword);
            return options;
        }
        CommandsConfig.Datasource ds = extra.get(name);
        PgConnectOptions options = PgConnectOptions.fromUri(ds.url());
        ds.username().ifPresent(options::setUser);
        ds.password().ifPresent(options::setPassword);
        return options;
    }
}
