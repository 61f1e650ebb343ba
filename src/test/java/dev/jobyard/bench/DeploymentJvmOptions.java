package dev.jobyard.bench;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The JVM options the Kubernetes Deployment gives each replica ({@code JDK_JAVA_OPTIONS}, from
 * {@code quarkus.kubernetes.env.vars.jdk-java-options}): the replicas the tool starts run with them, so what it
 * measures is what runs in the cluster, not what the JVM would pick on the benchmark's own machine (on a host
 * with 24 GiB it starts G1 with the whole 256 MB heap committed; in the 512 Mi container it picks the serial
 * collector and an 8 MB initial heap, as the Deployment now says outright).
 */
public final class DeploymentJvmOptions {

    static final Path SOURCE = Path.of("src/main/resources/application.properties");
    static final String KEY = "quarkus.kubernetes.env.vars.jdk-java-options";

    private DeploymentJvmOptions() {
    }

    public static String read() {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(SOURCE)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the Deployment's JVM options from " + SOURCE.toAbsolutePath()
                    + " (run from the project directory, or give -Dbench.jvm)", e);
        }
        String options = properties.getProperty(KEY);
        if (options == null || options.isBlank()) {
            throw new IllegalStateException(KEY + " is not set in " + SOURCE);
        }
        return options.trim();
    }
}
