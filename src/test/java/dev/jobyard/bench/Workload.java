package dev.jobyard.bench;

/** One workload of issue 5. Implementations measure, check exactly-once, and never assert a speed. */
public interface Workload {

    String id();

    String title();

    /** Runs every repetition and returns the figures; throws only when the workload cannot run at all. */
    WorkloadResult run(BenchContext context) throws Exception;
}
