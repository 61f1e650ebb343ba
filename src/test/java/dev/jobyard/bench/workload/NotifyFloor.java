package dev.jobyard.bench.workload;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.jobyard.bench.BenchContext;
import dev.jobyard.bench.Progress;
import io.vertx.core.json.JsonObject;

/**
 * The W2 latency floor with no library, run beside W2 as the peers ran it: ../shared/peers/baseline-notify
 * (insert + NOTIFY, one LISTEN connection claiming one row at a time, 500 jobs at 50/s) with Node, after
 * {@code npm ci} in a scratch copy, on the peers' database (common/ensure-db.sh creates it).
 */
final class NotifyFloor {

    private NotifyFloor() {
    }

    private static Path installed;

    /**
     * {@code reps} repetitions now, each a JSON object with p50_ms, p95_ms, p99_ms, max_ms: called once per W2 run,
     * so that each run has its floor beside it. The database and {@code npm ci} are prepared once per invocation.
     */
    static synchronized List<JsonObject> run(BenchContext context, int reps) throws Exception {
        Path scratch = PeersScratch.prepare(context.settings());
        Path logs = context.outDir().resolve("logs");
        if (!scratch.equals(installed)) {
            Subprocess.run(List.of("bash", "common/ensure-db.sh"), scratch, Map.of(), Duration.ofMinutes(1),
                    logs.resolve("notify-ensure-db.log"));
            Progress.log("LISTEN/NOTIFY floor: npm ci");
            Subprocess.run(List.of("npm", "ci", "--no-audit", "--no-fund"), scratch.resolve("baseline-notify"), Map.of(),
                    Duration.ofMinutes(5), logs.resolve("notify-npm-ci.log"));
            installed = scratch;
        }
        Progress.log("LISTEN/NOTIFY floor: node bench.mjs × " + reps);
        List<String> lines = Subprocess.run(List.of("node", "bench.mjs"), scratch.resolve("baseline-notify"),
                Map.of("N", String.valueOf(context.sizes().w2Jobs()), "REPS", String.valueOf(reps)),
                Duration.ofSeconds(60 + reps * 60L), logs.resolve("notify.log"));
        return lines.stream().filter(l -> l.startsWith("{") && l.contains("\"baseline-notify\"")).map(JsonObject::new).toList();
    }
}
