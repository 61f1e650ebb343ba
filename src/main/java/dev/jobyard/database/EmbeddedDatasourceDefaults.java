package dev.jobyard.database;

import java.util.Collections;
import java.util.Map;
import java.util.OptionalInt;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * Points the datasource at the embedded PostgreSQL when the operator configured no URL, so that
 * {@code java -jar} and {@code quarkus:dev} work on a machine with only Java. It only computes
 * settings; {@link DatabaseBootstrap} starts the server. With any URL configured it adds nothing.
 */
public class EmbeddedDatasourceDefaults implements ConfigSourceFactory {

    static final String DEFAULT_PORT = "54329";
    static final String SOURCE_NAME = "jobyard-embedded-defaults";

    /** True when the datasource URL in effect is ours, i.e. nothing the operator configured overrides it. */
    static boolean inEffect() {
        var value = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getConfigValue("quarkus.datasource.reactive.url");
        return value != null && SOURCE_NAME.equals(value.getSourceName());
    }

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (isSet(context, "quarkus.datasource.reactive.url") || isSet(context, "quarkus.datasource.jdbc.url")) {
            return Collections.emptyList();
        }
        ConfigValue portValue = context.getValue("jobyard.embedded.port");
        String port = portValue != null && portValue.getValue() != null ? portValue.getValue() : DEFAULT_PORT;
        Map<String, String> props = Map.of(
                "quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + port + "/postgres",
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres");
        // Below application.properties (250): anything the operator sets anywhere still wins.
        return Collections.singletonList(new PropertiesConfigSource(props, SOURCE_NAME, 90));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(10);
    }

    private static boolean isSet(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return value != null && value.getValue() != null && !value.getValue().isBlank();
    }
}
