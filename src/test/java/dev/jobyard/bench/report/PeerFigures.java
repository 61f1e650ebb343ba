package dev.jobyard.bench.report;

import java.util.List;

/**
 * The peers' published figures (issue 5's table; ../shared/peers/RESULTS.md pass 2, median of 3, this machine,
 * 2026-11-22). Reference data to compare against, never a result of this tool: the report prints them apart.
 */
public final class PeerFigures {

    public record Throughput(String system, double jobsPerSecond) {
    }

    public record Latency(String system, String mode, double p50, double p95, double p99) {
    }

    public static final String SOURCE = "issue 5 / ../shared/peers/RESULTS.md (pass 2, median of 3 runs, same machine, 2026-11-22)";

    public static final List<Throughput> W1 = List.of(
            new Throughput("raw SQL, 1 job per claim (pgbench)", 2_896),
            new Throughput("raw SQL, 100 jobs per claim (pgbench)", 17_376),
            new Throughput("graphile-worker 0.18, batched", 9_350),
            new Throughput("graphile-worker 0.18, default", 2_074),
            new Throughput("db-scheduler 16.12, lock-and-fetch", 3_878),
            new Throughput("pg-boss 12.38, batch 16", 1_489),
            new Throughput("JobRunr 8.7", 1_471),
            new Throughput("Quartz 2.5, clustered, tuned", 232));

    public static final List<Latency> W2 = List.of(
            new Latency("graphile-worker 0.18", "LISTEN/NOTIFY", 3.1, 4.6, 6.5),
            new Latency("pg-boss 12.38", "LISTEN/NOTIFY", 5.2, 6.8, 8.2),
            new Latency("JobRunr 8.7", "5 s poll", 2_413, 4_626, 4_823),
            new Latency("db-scheduler 16.12", "10 s poll", 4_956, 9_509, 9_904));

    private PeerFigures() {
    }
}
