package dev.jobyard.database;

import java.util.Collections;
import java.util.Map;
import java.util.OptionalInt;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;

/**
 * Fills in datasource settings the operator left out. With no URL at all it points the datasource at
 * the embedded PostgreSQL, so that {@code java -jar} and {@code quarkus:dev} work on a machine with
 * only Java ({@link DatabaseBootstrap} starts that server). With only one of the two URLs (reactive
 * for the engine, JDBC for Flyway) it derives the other. It only computes settings, below
 * application.properties, so anything configured anywhere wins.
 */
public class DatasourceDefaults implements ConfigSourceFactory {

    static final String DEFAULT_PORT = "54329";
    static final String SOURCE_NAME = "jobyard-datasource-defaults";
    private static final String REACTIVE_URL = "quarkus.datasource.reactive.url";
    private static final String JDBC_URL = "quarkus.datasource.jdbc.url";
    /**
     * Where a packaged application keeps the runtime values seen while it was built, this factory's
     * own included. Such a value echoes the factory; the operator's settings come from sources above it.
     */
    private static final String BUILD_TIME_VALUES = "Runtime Values";

    /** True when the datasource URL in effect is the embedded server's, i.e. nobody configured one. */
    static boolean embeddedInEffect() {
        var value = org.eclipse.microprofile.config.ConfigProvider.getConfig().getConfigValue(REACTIVE_URL);
        return value != null && SOURCE_NAME.equals(value.getSourceName())
                && value.getValue() != null && value.getValue().contains(":" + embeddedPort() + "/postgres");
    }

    private static String embeddedPort() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("jobyard.embedded.port", String.class).orElse(DEFAULT_PORT);
    }

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        String reactive = value(context, REACTIVE_URL);
        String jdbc = value(context, JDBC_URL);
        Map<String, String> props;
        if (reactive == null && jdbc == null) {
            String port = value(context, "jobyard.embedded.port");
            port = port == null ? DEFAULT_PORT : port;
            props = Map.of(REACTIVE_URL, "postgresql://127.0.0.1:" + port + "/postgres",
                    JDBC_URL, "jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                    "quarkus.datasource.username", "postgres",
                    "quarkus.datasource.password", "postgres");
        } else if (jdbc == null) {
            props = Map.of(JDBC_URL, "jdbc:" + reactive.replaceFirst("^vertx-reactive:", ""));
        } else if (reactive == null) {
            props = Map.of(REACTIVE_URL, jdbc.replaceFirst("^jdbc:", ""));
        } else {
            return Collections.emptyList();
        }
        return Collections.singletonList(new Defaults(props));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(10);
    }

    private static String value(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        boolean set = value != null && value.getValue() != null && !value.getValue().isBlank()
                && !BUILD_TIME_VALUES.equals(value.getSourceName());
        return set ? value.getValue() : null;
    }

    /** A source named exactly {@link #SOURCE_NAME} (PropertiesConfigSource would decorate the name). */
    private static final class Defaults extends MapBackedConfigSource {
        private static final long serialVersionUID = 1L;

        Defaults(Map<String, String> props) {
            super(SOURCE_NAME, props, 90);
        }
    }
}
