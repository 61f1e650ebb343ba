package dev.jobyard.bench;

import java.nio.file.Path;

import dev.jobyard.bench.report.Report;

/**
 * {@code ./mvnw -Pbench verify [-Dbench.workloads=W1,W2] [-Dbench.url=http://host:port] ...}: runs the benchmark
 * and writes target/bench/report.md, report.json and plot.svg. Exit status 0 whatever the speed, so a slow
 * machine never fails the build; 1 when a workload could not finish or a correctness check failed (a job run
 * twice or lost, a slot missed), since those are bugs, not slowness.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        BenchSettings settings = BenchSettings.fromSystemProperties();
        Report report = BenchRun.run(settings);
        Path out = settings.outDir();
        BenchRun.write(report, out);
        Progress.log("Report: " + out.resolve("report.md").toAbsolutePath() + " (and report.json, plot.svg)");
        for (WorkloadResult result : report.results()) {
            for (Figure f : result.figures()) {
                Progress.log(String.format("  %-3s %-70s %16s  target %-12s %s", result.id(), f.label(), f.formattedValue(),
                        f.formattedTarget(), f.status()));
            }
        }
        if (!report.sound()) {
            Progress.log("A workload did not finish or a correctness check failed: see the report.");
            System.exit(1);
        }
        System.exit(0);
    }
}
