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
 * @param w1Parts          which of W1's measurements to run ({@link #W1_PARTS}); fewer when profiling one of them
 * @param w2Parts          which of W2's variants to run ({@link #W2_PARTS})
 */
public record BenchSettings(List<String> workloads, Sizes sizes, String dbUrl, List<String> serviceUrls,
        OptionalLong servicePid, List<String> serviceJvm, boolean floors, Path peersDir, List<String> pgbenchVariants,
        Path outDir, String quarkusVersion, List<String> w1Parts, List<String> w2Parts) {

    /** W1's measurements: a new JVM's first jobs, warmed, access control on, batching off. */
    public static final List<String> W1_PARTS = List.of("cold", "warm", "auth", "off");
    /** W2's variants: the engine's defaults, access control on, start on create off (through NOTIFY and a claim). */
    public static final List<String> W2_PARTS = List.of("defaults", "auth", "notify");

    /** Every part of W1. */
    public BenchSettings(List<String> workloads, Sizes sizes, String dbUrl, List<String> serviceUrls, OptionalLong servicePid,
            List<String> serviceJvm, boolean floors, Path peersDir, List<String> pgbenchVariants, Path outDir,
            String quarkusVersion) {
        this(workloads, sizes, dbUrl, serviceUrls, servicePid, serviceJvm, floors, peersDir, pgbenchVariants, outDir,
                quarkusVersion, W1_PARTS, W2_PARTS);
    }

    public boolean runsW1(String part) {
        return w1Parts.contains(part);
    }

    public boolean runsW2(String part) {
        return w2Parts.contains(part);
    }

    public static final List<String> ALL = List.of("W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8", "W9");
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
                property("bench.quarkus-version", "unknown"),
                parts("bench.w1-parts", W1_PARTS, "warm"),
                parts("bench.w2-parts", W2_PARTS, "defaults"));
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
        out.put("w1Parts", String.join(",", w1Parts));
        out.put("w2Parts", String.join(",", w2Parts));
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

    /** A subset of {@code all} from the property, which must hold {@code required}: the others are reported against it. */
    private static List<String> parts(String key, List<String> all, String required) {
        List<String> parts = list(property(key, String.join(",", all)).toLowerCase(), ",");
        for (String part : parts) {
            if (!all.contains(part)) {
                throw new IllegalArgumentException(key + ": unknown part '" + part + "', expected some of " + all);
            }
        }
        if (!parts.contains(required)) {
            throw new IllegalArgumentException(key + " must include " + required + ": the other parts are reported against it");
        }
        return parts;
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
