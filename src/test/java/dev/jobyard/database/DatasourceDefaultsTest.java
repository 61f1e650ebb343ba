package dev.jobyard.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigValue;

/** What the service fills in when the operator configured no datasource, or only half of one. */
class DatasourceDefaultsTest {

    private static Map<String, String> defaultsFor(Map<String, String> configured) {
        ConfigSourceContext context = new ConfigSourceContext() {
            @Override
            public ConfigValue getValue(String name) {
                String value = configured.get(name);
                return value == null ? null : ConfigValue.builder().withName(name).withValue(value).build();
            }

            @Override
            public List<String> getProfiles() {
                return List.of();
            }

            @Override
            public java.util.Iterator<String> iterateNames() {
                return configured.keySet().iterator();
            }
        };
        Map<String, String> result = new HashMap<>();
        for (ConfigSource source : new DatasourceDefaults().getConfigSources(context)) {
            source.getPropertyNames().forEach(name -> result.put(name, source.getValue(name)));
        }
        return result;
    }

    @Test
    void nothingConfiguredPointsAtTheEmbeddedServer() {
        Map<String, String> defaults = defaultsFor(Map.of("jobyard.embedded.port", "6000"));
        assertEquals("postgresql://127.0.0.1:6000/postgres", defaults.get("quarkus.datasource.reactive.url"));
        assertEquals("jdbc:postgresql://127.0.0.1:6000/postgres", defaults.get("quarkus.datasource.jdbc.url"));
    }

    @Test
    void bothUrlsConfiguredAddsNothing() {
        assertEquals(Map.of(), defaultsFor(Map.of("quarkus.datasource.reactive.url", "postgresql://db:5432/app",
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://db:5432/app")));
    }

    @Test
    void oneUrlIsEnoughTheOtherIsDerived() {
        assertEquals(Map.of("quarkus.datasource.jdbc.url", "jdbc:postgresql://db:5432/app"),
                defaultsFor(Map.of("quarkus.datasource.reactive.url", "postgresql://db:5432/app")));
        Map<String, String> fromJdbc = defaultsFor(Map.of("quarkus.datasource.jdbc.url", "jdbc:postgresql://db:5432/app"));
        assertEquals("postgresql://db:5432/app", fromJdbc.get("quarkus.datasource.reactive.url"));
        assertFalse(fromJdbc.containsKey("quarkus.datasource.username"), "no embedded credentials for a real server");
    }
}
