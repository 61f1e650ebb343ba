package dev.jobyard.bench;

import java.time.Duration;

/**
 * How big each workload is. {@link #full()} is exactly issue 5; {@link #smoke()} is the same procedure
 * shrunk so that the integration test (and {@code -Dbench.size=smoke}) checks the tool in about a minute.
 */
public record Sizes(String name, int reps, int w1Jobs, int enqueueBatch, int w2Jobs, int w2RatePerSecond,
        int w2Warmup, Duration w2Idle, int w3HistoryRows, int w3FutureJobs, int w4Chains, int w4ChainLength, int w5Schedules,
        Duration w5Duration, Duration w6Settle, Duration w6Window, int w6FutureJobs, Duration pgbenchDuration,
        int throughputWarmup) {

    /** Issue 5 as written, with 5 repetitions (issue 20: at least 5 runs per figure, reported with their spread). */
    public static Sizes full() {
        return new Sizes("full", 5, 20_000, 5_000, 500, 50, 2_000, Duration.ofSeconds(3), 1_000_000, 100_000, 1_000, 10, 50,
                Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(30), 100_000, Duration.ofSeconds(20),
                40_000);
    }

    /** Small enough for a test run, big enough that batching, chains and two replicas still happen. */
    public static Sizes smoke() {
        return new Sizes("smoke", 1, 200, 100, 25, 50, 5, Duration.ofSeconds(1), 10_000, 1_000, 20, 10, 2,
                Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(3), 1_000, Duration.ofSeconds(2), 100);
    }

    /** W8's chain runs: issue 16's 1,000, or 20 at smoke (derived, so the record's shape stays as other workloads use it). */
    public int w8Runs() {
        return "smoke".equals(name) ? 20 : 1_000;
    }

    public static Sizes named(String name) {
        return switch (name) {
            case "full" -> full();
            case "smoke" -> smoke();
            default -> throw new IllegalArgumentException("bench.size must be full or smoke, got " + name);
        };
    }

    public Sizes withThroughputWarmup(int jobs) {
        return new Sizes(name, reps, w1Jobs, enqueueBatch, w2Jobs, w2RatePerSecond, w2Warmup, w2Idle, w3HistoryRows, w3FutureJobs,
                w4Chains, w4ChainLength, w5Schedules, w5Duration, w6Settle, w6Window, w6FutureJobs, pgbenchDuration, jobs);
    }

    public Sizes withReps(int reps) {
        return new Sizes(name, reps, w1Jobs, enqueueBatch, w2Jobs, w2RatePerSecond, w2Warmup, w2Idle, w3HistoryRows, w3FutureJobs,
                w4Chains, w4ChainLength, w5Schedules, w5Duration, w6Settle, w6Window, w6FutureJobs, pgbenchDuration,
                throughputWarmup);
    }
}
