package dev.jobyard.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * What to run and against what, from {@code -Dbench.*} system properties (the Maven profile forwards them;
 * blank means "default", because Maven passes unset properties as empty strings).
 *
 * @param workloads        W1..W7, in this order
 * @param dbUrl            the benchmark's own database, {@code postgresql://user[:password]@host[:port]/db}; the tool
 *                         drops and re-creates it (or, for a running service, empties it) before every measurement
 * @param serviceUrls      running replicas to measure; empty = the tool starts the packaged jar itself
 * @param servicePid       process id of a running service, for its memory (W6); optional
 * @param serviceJvm       JVM options of the replicas the tool starts
 * @param floors           whether to run the raw-SQL floors of the peers (pgbench, LISTEN/NOTIFY) beside W1/W2
 * @param peersDir         ../shared/peers, where the floors' scripts are
 * @param pgbenchVariants  baseline-pgbench variants to run
 */
public record BenchSettings(List<String> workloads, Sizes sizes, String dbUrl, List<String> serviceUrls,
        OptionalLong servicePid, List<String> serviceJvm, boolean floors, Path peersDir, List<String> pgbenchVariants,
        Path outDir, String quarkusVersion) {

    public static final List<String> ALL = List.of("W1", "W2", "W3", "W4", "W5", "W6", "W7", "W9");
    public static final String DEFAULT_DB_URL = "postgresql://postgres@127.0.0.1:5432/jobyard_bench";

    public static BenchSettings fromSystemProperties() {
        Sizes sizes = Sizes.named(property("bench.size", "full"));
        String reps = property("bench.reps", "");
        if (!reps.isEmpty()) {
            sizes = sizes.withReps(Integer.parseInt(reps));
        }
        String warmup = property("bench.warmup-jobs", "");
        if (!warmup.isEmpty()) {
            sizes = sizes.withThroughputWarmup(Integer.parseInt(warmup));
        }
        String pid = property("bench.pid", "");
        return new BenchSettings(
                workloads(property("bench.workloads", "all")),
                sizes,
                property("bench.db-url", envOr("JOBYARD_BENCH_DB_URL", DEFAULT_DB_URL)),
                list(property("bench.url", ""), ","),
                pid.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(pid)),
                list(property("bench.jvm", "").isBlank() ? DeploymentJvmOptions.read() : property("bench.jvm", ""), " "),
                Boolean.parseBoolean(property("bench.floors", "true")),
                Path.of(property("bench.peers-dir", "../shared/peers")),
                list(property("bench.pgbench-variants", "batch100 archive100"), " "),
                Path.of(property("bench.out", "target/bench")),
                property("bench.quarkus-version", "unknown"));
    }

    public boolean startsService() {
        return serviceUrls.isEmpty();
    }

    public boolean peersAvailable() {
        return Files.isRegularFile(peersDir.resolve("baseline-pgbench").resolve("run.sh"));
    }

    /** Everything that shaped the numbers, for the report. */
    public Map<String, Object> describe() {
        Map<String, Object> out = new TreeMap<>();
        out.put("workloads", String.join(",", workloads));
        out.put("size", sizes.name());
        out.put("repetitions", sizes.reps());
        out.put("database", dbUrl.replaceAll("://([^:@/]+):[^@/]*@", "://$1:***@"));
        out.put("service", startsService() ? "started by the tool: java " + String.join(" ", serviceJvm)
                + " -jar target/quarkus-app/quarkus-run.jar" : "running at " + String.join(", ", serviceUrls));
        out.put("floors", floors ? "pgbench " + String.join(",", pgbenchVariants) + " and LISTEN/NOTIFY from " + peersDir
                : "not run (-Dbench.floors=false)");
        return out;
    }

    private static List<String> workloads(String value) {
        if (value.equalsIgnoreCase("all")) {
            return ALL;
        }
        Set<String> chosen = new LinkedHashSet<>();
        for (String w : value.toUpperCase().split("[,\\s]+")) {
            if (!ALL.contains(w)) {
                throw new IllegalArgumentException("bench.workloads: unknown workload '" + w + "', expected some of " + ALL);
            }
            chosen.add(w);
        }
        return ALL.stream().filter(chosen::contains).toList();
    }

    private static List<String> list(String value, String separator) {
        return Arrays.stream(value.split(separator)).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static String property(String key, String fallback) {
        String value = System.getProperty(key);
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    private static String envOr(String key, String fallback) {
        String value = System.getenv(key);
        return value == null || value.isBlank() ? fallback : value.strip();
    }
}
