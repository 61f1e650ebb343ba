package dev.jobyard.deploy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.ConfigMappingInterface;
import io.smallrye.config.ConfigMappings;

/**
 * The settings the service reads at run time, taken from the configuration classes themselves rather than from a
 * list kept by hand: every {@code @ConfigMapping} under {@code dev.jobyard} (found in target/classes) and every
 * run-time config root of the Quarkus extensions on the class path (their {@code META-INF/quarkus-config-roots.list}).
 * An environment variable is read when it is the environment form of one of these keys (upper case, every other
 * character {@code _}; a map key such as a queue name may be any such word), as SmallRye Config maps them.
 */
final class KnownSettings {

    private static final Path APP_CLASSES = Path.of("target", "classes");
    private static KnownSettings loaded;

    private final Map<String, ConfigMappingInterface.Property> byKey;
    private final List<Map.Entry<Pattern, String>> envForms = new ArrayList<>();

    private KnownSettings(Map<String, ConfigMappingInterface.Property> byKey) {
        this.byKey = byKey;
        byKey.keySet().forEach(key -> envForms.add(Map.entry(envPattern(key), key)));
    }

    static synchronized KnownSettings load() {
        if (loaded == null) {
            Map<String, ConfigMappingInterface.Property> keys = new LinkedHashMap<>();
            for (Class<?> root : configClasses()) {
                String prefix = root.getAnnotation(ConfigMapping.class).prefix();
                ConfigMappings.getProperties(ConfigMappings.ConfigClass.configClass(root, prefix)).forEach(keys::putIfAbsent);
            }
            loaded = new KnownSettings(Collections.unmodifiableMap(keys));
        }
        return loaded;
    }

    /** The configuration key that environment variable {@code name} sets, if the service reads one. */
    Optional<String> keyOfEnv(String name) {
        return envForms.stream().filter(e -> e.getKey().matcher(name).matches()).map(Map.Entry::getValue).findFirst();
    }

    /** The built-in default of {@code key} (a key as {@link #keyOfEnv} returns it), if it has one. */
    Optional<String> defaultOf(String key) {
        ConfigMappingInterface.Property property = byKey.get(key);
        if (property == null) {
            throw new IllegalArgumentException(key + " is not a known setting");
        }
        ConfigMappingInterface.Property leaf = property.isOptional() ? property.asOptional().getNestedProperty() : property;
        return leaf.hasDefaultValue() ? Optional.ofNullable(leaf.getDefaultValue()) : Optional.empty();
    }

    int size() {
        return byKey.size();
    }

    // "jobyard.queues.*.concurrency" -> JOBYARD_QUEUES_[A-Z0-9_]+_CONCURRENCY; quoted map keys and indexes likewise.
    private static Pattern envPattern(String key) {
        StringBuilder regex = new StringBuilder();
        for (String part : key.replace("[*]", ".*").split("\\.")) {
            if (!regex.isEmpty()) {
                regex.append('_');
            }
            if (part.equals("*") || part.equals("\"*\"")) {
                regex.append("[A-Z0-9_]+");
            } else {
                regex.append(Pattern.quote(part.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_")));
            }
        }
        return Pattern.compile(regex.toString());
    }

    private static List<Class<?>> configClasses() {
        List<Class<?>> classes = new ArrayList<>();
        for (String name : quarkusRuntimeRoots()) {
            Class<?> type = load(name);
            ConfigRoot root = type.getAnnotation(ConfigRoot.class);
            if (type.isAnnotationPresent(ConfigMapping.class) && root != null && root.phase() == ConfigPhase.RUN_TIME) {
                classes.add(type);
            }
        }
        try (Stream<Path> files = Files.walk(APP_CLASSES)) {
            files.filter(f -> f.toString().endsWith(".class"))
                    .map(f -> APP_CLASSES.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", ""))
                    .filter(name -> name.startsWith("dev.jobyard.") && !name.contains("$"))
                    .map(KnownSettings::load)
                    .filter(type -> type.isAnnotationPresent(ConfigMapping.class))
                    .forEach(classes::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return classes;
    }

    private static List<String> quarkusRuntimeRoots() {
        List<String> names = new ArrayList<>();
        try {
            var lists = Thread.currentThread().getContextClassLoader().getResources("META-INF/quarkus-config-roots.list");
            for (URL list : Collections.list(lists)) {
                try (var in = new BufferedReader(new InputStreamReader(list.openStream(), StandardCharsets.UTF_8))) {
                    in.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(names::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("config class " + name + " is listed but cannot be loaded", e);
        }
    }
}
