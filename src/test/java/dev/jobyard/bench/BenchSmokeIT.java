package dev.jobyard.bench;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

import dev.jobyard.bench.report.Report;
import dev.jobyard.testing.TestDatabase;
import io.vertx.core.json.JsonObject;

/**
 * The benchmark tool end to end, shrunk (Sizes.smoke: 200 jobs, 20 chains, 2 schedules for 5 s...): every
 * workload runs against the packaged jar, every job runs exactly once, no slot is missed or doubled, and the
 * report files are written. It asserts no speed; the floors (pgbench, Node) are left out since they live
 * outside this repository. Uses its own database next to the test database ({@code <test db>_bench}), because
 * the tool drops and re-creates its database for every measurement.
 */
// Eight workloads, each on freshly started replicas: about 3 minutes on a quiet machine, more under load.
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class BenchSmokeIT {

    // Start-up speed matters here, not throughput: the same JVM options as the other ITs' replicas.
    private static final List<String> FAST_START_JVM = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    @Test
    void everyWorkloadRunsAndEveryJobRunsExactlyOnce() throws Exception {
        Path out = Path.of("target", "bench-smoke");
        BenchSettings settings = new BenchSettings(BenchSettings.ALL, Sizes.smoke(), benchDatabaseUrl(), List.of(),
                OptionalLong.empty(), FAST_START_JVM, false, Path.of("../shared/peers"), List.of(), out, "test");

        Report report = BenchRun.run(settings);
        BenchRun.write(report, out);

        List<Executable> checks = new ArrayList<>();
        for (WorkloadResult result : report.results()) {
            checks.add(() -> assertNull(result.error(), result.id() + " did not finish"));
            checks.add(() -> assertFalse(result.checks().isEmpty(), result.id() + " checked nothing"));
            for (Check check : result.checks()) {
                checks.add(() -> assertTrue(check.ok(), result.id() + ": " + check.label() + " — " + check.detail()));
            }
            // The tool starts the service itself, so every figure must be measured, except those that compare
            // with the floors, which this test does not run.
            result.figures().stream().filter(f -> !f.note().contains("-Dbench.floors=false")).forEach(figure ->
                    checks.add(() -> assertFalse(Double.isNaN(figure.value()),
                            result.id() + ": " + figure.label() + " not measured: " + figure.note())));
        }
        assertAll(checks);
        assertEquals(BenchSettings.ALL, report.results().stream().map(WorkloadResult::id).toList());

        JsonObject json = new JsonObject(Files.readString(out.resolve("report.json")));
        assertEquals(BenchSettings.ALL.size(), json.getJsonArray("workloads").size());
        assertTrue(json.getBoolean("sound"));
        String markdown = Files.readString(out.resolve("report.md"));
        for (String id : BenchSettings.ALL) {
            assertTrue(markdown.contains("## " + id + " — "), "report.md has a section for " + id);
        }
        assertTrue(Files.readString(out.resolve("plot.svg")).startsWith("<svg"));
    }

    /** {@code <test database>_bench} on the test server, with the test credentials. */
    private static String benchDatabaseUrl() {
        TestDatabase.Target test = TestDatabase.target();
        String credentials = test.user() + (test.password().isEmpty() ? "" : ":" + test.password());
        return "postgresql://" + credentials + "@" + test.host() + ":" + test.port() + "/" + test.database() + "_bench";
    }
}
