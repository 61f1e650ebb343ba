package dev.jobyard.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.jobyard.bench.Check;
import dev.jobyard.bench.Figure;
import dev.jobyard.bench.WorkloadResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** target/bench/report.json: the same content as report.md, for machines (CI trends, the plot). */
public final class ReportJson {

    private ReportJson() {
    }

    public static JsonObject toJson(Report report) {
        JsonArray workloads = new JsonArray();
        for (WorkloadResult result : report.results()) {
            JsonArray figures = new JsonArray();
            for (Figure f : result.figures()) {
                JsonObject figure = new JsonObject().put("key", f.key()).put("label", f.label())
                        .put("value", Double.isNaN(f.value()) ? null : f.value()).put("unit", f.unit())
                        .put("status", f.status().name()).put("note", f.note());
                if (f.target() != null) {
                    figure.put("target", new JsonObject().put("op", f.target().atLeast() ? ">=" : "<=")
                            .put("value", f.target().threshold()));
                }
                figures.add(figure);
            }
            JsonArray checks = new JsonArray();
            for (Check c : result.checks()) {
                checks.add(new JsonObject().put("label", c.label()).put("ok", c.ok()).put("detail", c.detail()));
            }
            workloads.add(new JsonObject().put("id", result.id()).put("title", result.title()).put("sound", result.sound())
                    .put("error", result.error()).put("figures", figures).put("checks", checks)
                    .put("measurements", new JsonArray(result.measurements())).put("notes", new JsonArray(result.notes()))
                    .put("texts", new JsonObject(new java.util.LinkedHashMap<>(result.texts()))));
        }
        JsonArray w1Peers = new JsonArray();
        PeerFigures.W1.forEach(p -> w1Peers.add(new JsonObject().put("system", p.system()).put("jobsPerSecond", p.jobsPerSecond())));
        JsonArray w2Peers = new JsonArray();
        PeerFigures.W2.forEach(p -> w2Peers.add(new JsonObject().put("system", p.system()).put("mode", p.mode())
                .put("p50Ms", p.p50()).put("p95Ms", p.p95()).put("p99Ms", p.p99())));
        return new JsonObject().put("generatedAt", report.generatedAt()).put("elapsedSeconds", report.elapsedSeconds())
                .put("sound", report.sound())
                .put("machine", new JsonObject(report.machine()).copy().put("loadAverageBefore", report.loadBefore())
                        .put("loadAverageAfter", report.loadAfter()))
                .put("versions", new JsonObject(report.versions())).put("settings", new JsonObject(report.settings())
                        .copy().put("deployment", report.deployment())
                        .put("service", new JsonObject(new java.util.LinkedHashMap<>(report.serviceSettings())))
                        .put("postgresql", new JsonObject(new java.util.LinkedHashMap<>(report.postgres()))))
                .put("workloads", workloads)
                .put("peers", new JsonObject().put("source", PeerFigures.SOURCE).put("w1", w1Peers).put("w2", w2Peers));
    }

    public static void write(Report report, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, toJson(report).encodePrettily() + "\n");
    }
}
