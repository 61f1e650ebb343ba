package dev.jobyard.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;

/**
 * Every {@code jobyard.*} key that a {@code @ConfigMapping} interface of the service reads is a row of
 * docs/configuration.md, and the row states the key's default.
 */
class ConfigurationDocTest {

    private static final Path DOC = Path.of("docs/configuration.md");
    private static final Path CLASSES = Path.of("target/classes");

    /** Each key of every mapping, with its default (null when it has none); map keys appear as {@code <name>}. */
    static Map<String, String> keys() throws IOException {
        Map<String, String> keys = new TreeMap<>();
        for (Class<?> mapping : mappings()) {
            collect(mapping.getAnnotation(ConfigMapping.class).prefix(), mapping, keys);
        }
        return keys;
    }

    private static List<Class<?>> mappings() throws IOException {
        List<Class<?>> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(CLASSES.resolve("dev/jobyard"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = CLASSES.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                try {
                    Class<?> type = Class.forName(name, false, ConfigurationDocTest.class.getClassLoader());
                    if (type.isAnnotationPresent(ConfigMapping.class)) {
                        found.add(type);
                    }
                } catch (ClassNotFoundException | LinkageError e) {
                    throw new IllegalStateException("cannot load " + name, e);
                }
            }
        }
        return found;
    }

    private static void collect(String prefix, Class<?> group, Map<String, String> keys) {
        for (Method method : group.getMethods()) {
            if (method.getParameterCount() > 0 || Modifier.isStatic(method.getModifiers()) || method.isDefault()) {
                continue;
            }
            String key = method.isAnnotationPresent(WithParentName.class) ? prefix
                    : prefix + "." + (method.isAnnotationPresent(WithName.class) ? method.getAnnotation(WithName.class).value()
                            : kebab(method.getName()));
            Type type = method.getGenericReturnType();
            if (method.getReturnType() == Map.class) {
                Type value = ((ParameterizedType) type).getActualTypeArguments()[1];
                if (value instanceof Class<?> c && c.isInterface()) {
                    collect(key + ".<name>", c, keys);
                    continue;
                }
                // A map of plain values: one key per entry (jobyard.secrets.<name>).
                key = key + ".<name>";
            } else if (method.getReturnType().isInterface() && method.getReturnType().getName().startsWith("dev.jobyard")) {
                collect(key, method.getReturnType(), keys);
                continue;
            }
            WithDefault withDefault = method.getAnnotation(WithDefault.class);
            keys.put(key, withDefault == null ? null : withDefault.value());
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    /**
     * The lines of the sections of docs/configuration.md about {@code jobyard.*} keys (headed
     * {@code ## `jobyard.}); other sections show keys as examples.
     */
    private static List<String> section() throws IOException {
        List<String> lines = Files.readAllLines(DOC);
        List<String> found = new java.util.ArrayList<>();
        boolean inside = false;
        for (String line : lines) {
            if (line.startsWith("## ")) {
                inside = line.startsWith("## `jobyard.");
            }
            if (inside) {
                found.add(line);
            }
        }
        assertTrue(!found.isEmpty(), DOC + " has a section ## `jobyard.*`");
        return found;
    }

    /** The row of docs/configuration.md whose first cell is {@code `key`}. */
    private static Optional<String> row(List<String> lines, String key) {
        return lines.stream().filter(l -> l.startsWith("| `" + key + "` |")).findFirst();
    }

    @Test
    void everyKeyTheServiceReadsIsDocumentedWithItsDefault() throws IOException {
        // Given the keys of every @ConfigMapping interface (the compiled classes, as the service reads them)
        Map<String, String> keys = keys();
        assertTrue(keys.containsKey("jobyard.lease-timeout") && keys.containsKey("jobyard.queues.<name>.concurrency")
                && keys.containsKey("jobyard.metrics.queue-gauge-cache"), "the mappings were found: " + keys.keySet());
        List<String> lines = section();

        // Then each has a row, and the row shows the default as code
        List<String> missing = new ArrayList<>();
        keys.forEach((key, value) -> {
            Optional<String> row = row(lines, key);
            if (row.isEmpty()) {
                missing.add(key + " (no row)");
            } else if (value != null && !row.get().split("\\|")[2].contains("`" + value + "`")) {
                missing.add(key + " (default `" + value + "` not in its row)");
            }
        });
        assertEquals(List.of(), missing, "add these to the jobyard.* table of " + DOC);
    }

    @Test
    void theDocumentDescribesNoKeyThatDoesNotExist() throws IOException {
        // Given the keys the service reads
        Map<String, String> keys = keys();

        // Then every jobyard.* row of the table is one of them (a renamed key leaves no stale row)
        List<String> stale = section().stream().filter(l -> l.startsWith("| `jobyard."))
                .map(l -> l.substring(3, l.indexOf('`', 3))).filter(k -> !keys.containsKey(k)).toList();
        assertFalse(keys.isEmpty());
        assertEquals(List.of(), stale, "rows of " + DOC + " for keys no @ConfigMapping reads");
    }
}
