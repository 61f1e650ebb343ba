package dev.jobyard.bench.workload;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.jobyard.bench.BenchContext;
import dev.jobyard.bench.Percentiles;
import dev.jobyard.bench.Progress;
import io.vertx.core.json.JsonObject;

/**
 * The raw-SQL throughput floor, run beside W1 exactly as the peers ran it: ../shared/peers/baseline-pgbench/run.sh
 * (pgbench -M prepared -c 16 -j 2, fresh table each run, on the peers' own database) from a scratch copy. Its
 * figure is what the same machine does with no library at all at that moment, so Jobyard is compared to it as
 * a ratio measured in the same run (peers/RESULTS.md: machines of one kind differ 2× in absolute numbers).
 */
final class PgbenchFloor {

    /** The repetitions of one variant (single, batch100, archive100). */
    record Variant(String name, List<JsonObject> runs) {
        double medianJobsPerSecond() {
            return Percentiles.median(runs.stream().map(r -> r.getDouble("jobs_per_s")).toList());
        }
    }

    private PgbenchFloor() {
    }

    /** {@code reps} repetitions of each variant, now: called once per W1 run, so that each run has its floor beside it. */
    static Map<String, Variant> run(BenchContext context, int reps) throws Exception {
        return run(context, reps, context.settings().pgbenchVariants());
    }

    static Map<String, Variant> run(BenchContext context, int reps, List<String> variants) throws Exception {
        Path scratch = PeersScratch.prepare(context.settings());
        long seconds = context.sizes().pgbenchDuration().toSeconds();
        Progress.log("pgbench floor: " + variants + " × " + reps + " × " + seconds + " s");
        Map<String, String> env = Map.of("VARIANTS", String.join(" ", variants), "REPS", String.valueOf(reps),
                "DURATION", String.valueOf(seconds), "PEERBENCH_RESULTS", scratch.resolve("results").toString());
        Duration timeout = Duration.ofSeconds(120 + variants.size() * reps * (seconds + 30));
        List<String> lines = Subprocess.run(List.of("bash", "baseline-pgbench/run.sh"), scratch, env, timeout,
                context.outDir().resolve("logs").resolve("pgbench.log"));
        Map<String, List<JsonObject>> byVariant = new LinkedHashMap<>();
        for (String line : lines) {
            if (line.startsWith("{") && line.contains("\"baseline-pgbench\"")) {
                JsonObject run = new JsonObject(line);
                byVariant.computeIfAbsent(run.getString("variant"), v -> new ArrayList<>()).add(run);
            }
        }
        Map<String, Variant> result = new LinkedHashMap<>();
        byVariant.forEach((name, runs) -> result.put(name, new Variant(name, runs)));
        result.values().forEach(v -> Progress.log(String.format("pgbench %s: median %.0f jobs/s", v.name(),
                v.medianJobsPerSecond())));
        return result;
    }
}
