package dev.jobyard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.jobyard.bench.report.PlotSvg;
import dev.jobyard.bench.report.Report;
import dev.jobyard.bench.report.ReportJson;
import dev.jobyard.bench.report.ReportMarkdown;
import dev.jobyard.bench.workload.W1Throughput;
import dev.jobyard.bench.workload.W2Latency;
import dev.jobyard.bench.workload.W3Scale;
import dev.jobyard.bench.workload.W4Dependencies;
import dev.jobyard.bench.workload.W5CronPrecision;
import dev.jobyard.bench.workload.W6Resources;
import dev.jobyard.bench.workload.W7Durable;
import dev.jobyard.bench.workload.W8Chains;

/**
 * Runs the selected workloads one after another and gathers the report. A workload that breaks is reported
 * with its error and the others still run; the caller decides what that means for the exit code.
 */
public final class BenchRun {

    private BenchRun() {
    }

    public static Report run(BenchSettings settings) throws Exception {
        Instant started = Instant.now();
        String loadBefore = Machine.loadAverage();
        clearLogs(settings.outDir().resolve("logs"));
        BenchDatabase database = new BenchDatabase(settings.dbUrl());
        Map<String, String> postgres = database.serverFacts();
        Deployment deployment = settings.startsService()
                ? new LaunchedDeployment(database, settings.serviceJvm(), settings.outDir().resolve("logs"))
                : new ExternalDeployment(database, settings.serviceUrls(), settings.servicePid());
        BenchContext context = new BenchContext(settings, database, deployment);
        Progress.log("Benchmark " + settings.workloads() + " (" + settings.sizes().name() + ", " + settings.sizes().reps()
                + " runs each) on database " + database.name() + "; load " + loadBefore);
        List<WorkloadResult> results = new ArrayList<>();
        for (String id : settings.workloads()) {
            Workload workload = workload(id);
            Progress.log("=== " + id + ": " + workload.title());
            try {
                results.add(workload.run(context));
            } catch (Exception | AssertionError e) {
                Progress.log(id + " did not finish: " + e);
                e.printStackTrace(System.out);
                results.add(new WorkloadResult(id, workload.title()).error(e.toString()));
            }
        }
        Instant finished = Instant.now();
        return new Report(started.truncatedTo(ChronoUnit.SECONDS).toString(), finished.getEpochSecond() - started.getEpochSecond(),
                Machine.describe(), loadBefore, Machine.loadAverage(),
                Versions.describe(postgres.getOrDefault("server_version", "unknown"), settings.quarkusVersion()),
                settings.describe(), postgres, deployment.describe(), serviceSettings(), results);
    }

    /** report.json, report.md and plot.svg in {@code directory}. */
    public static void write(Report report, Path directory) throws IOException {
        ReportJson.write(report, directory.resolve("report.json"));
        ReportMarkdown.write(report, directory.resolve("report.md"));
        PlotSvg.write(report, directory.resolve("plot.svg"));
    }

    /** The replicas' and scripts' logs of the previous run would mix with this run's otherwise. */
    private static void clearLogs(Path logs) throws IOException {
        if (!Files.isDirectory(logs)) {
            return;
        }
        try (Stream<Path> files = Files.walk(logs)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    static Workload workload(String id) {
        return switch (id) {
            case "W1" -> new W1Throughput();
            case "W2" -> new W2Latency();
            case "W3" -> new W3Scale();
            case "W4" -> new W4Dependencies();
            case "W5" -> new W5CronPrecision();
            case "W6" -> new W6Resources();
            case "W7" -> new W7Durable();
            case "W8" -> new W8Chains();
            case "W9" -> new dev.jobyard.bench.workload.W9Flows();
            default -> throw new IllegalArgumentException("no workload " + id);
        };
    }

    /** The engine settings that matter here: what the tool sets, and the engine defaults it leaves alone. */
    private static Map<String, String> serviceSettings() {
        Map<String, String> settings = new LinkedHashMap<>(Deployment.STANDARD_SETTINGS);
        settings.put("jobyard.worker.claim-batch-size", EngineDefaults.claimBatchSize() + " (engine default; 1 in W1's batching-off runs)");
        settings.put("jobyard.worker.prefetch", EngineDefaults.prefetch() + " (engine default; the most claimed jobs a queue holds ahead of its threads)");
        settings.put("jobyard.worker.prefetch-horizon", EngineDefaults.prefetchHorizon() + " (engine default)");
        settings.put("jobyard.worker.complete-batch-size", EngineDefaults.completeBatchSize() + " (engine default; 1 in W1's batching-off runs)");
        settings.put("jobyard.worker.poll-interval", EngineDefaults.pollInterval() + " (engine default, fallback poll)");
        return settings;
    }
}
