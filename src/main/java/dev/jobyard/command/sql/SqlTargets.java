package dev.jobyard.command.sql;

import java.util.List;
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
    static final String ROLES_KEY = "jobyard.commands.sql.run-as-roles";

    private final Map<String, CommandsConfig.Datasource> extra;
    private final List<String> roles;
    private final Map<String, String> rolePasswords;
    private final Config config;

    SqlTargets(CommandsConfig commands, Config config) {
        this.extra = commands.sql().datasources();
        this.roles = commands.sql().runAsRoles().orElse(List.of());
        this.rolePasswords = commands.sql().runAsPasswords();
        this.config = config;
    }

    /** A {@code runAs} role must be one the operator listed: the job logs in as it. */
    void checkRole(String role) {
        if (role != null && !roles.contains(role)) {
            throw Payload.bad("runAs", "role '" + role + "' is not allowed; an operator lists it in " + ROLES_KEY
                    + (roles.isEmpty() ? " (empty)" : " " + roles));
        }
    }

    void check(String name) {
        if (name != null && !extra.containsKey(name)) {
            throw Payload.bad("datasource", "no datasource '" + name + "'; an operator configures it as " + KEY + "." + name
                    + ".url (configured: " + new TreeSet<>(extra.keySet()) + ")");
        }
    }

    /** The service's own database as its reactive datasource's user (a chain run's connection). */
    public PgConnectOptions serviceDatabase() {
        return options(null);
    }

    /** Where to connect, as the datasource's user or, with a {@code runAs} role, logged in as that role. */
    PgConnectOptions options(String name, String role) {
        PgConnectOptions options = options(name);
        if (role != null) {
            options.setUser(role);
            // Never the datasource's own password: a role without one configured logs in without (trust, cert).
            options.setPassword(rolePasswords.getOrDefault(role, ""));
        }
        return options;
    }

    private PgConnectOptions options(String name) {
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
