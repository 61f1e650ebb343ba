package dev.jobyard.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.jobyard.bench.Check;
import dev.jobyard.bench.Figure;
import dev.jobyard.bench.WorkloadResult;
import io.vertx.core.json.JsonObject;

/** target/bench/report.md: the summary table first, then each workload's runs, checks, notes and plans. */
public final class ReportMarkdown {

    private ReportMarkdown() {
    }

    public static String render(Report report) {
        StringBuilder md = new StringBuilder();
        md.append("# Jobyard benchmark report\n\n");
        md.append("Generated ").append(report.generatedAt()).append(" in ").append(report.elapsedSeconds() / 60).append(" min ")
                .append(report.elapsedSeconds() % 60).append(" s. Workloads as issue 5 defines them, through the GraphQL API;"
                        + " database facts read with plain JDBC (each workload says which). Speed never fails the run;"
                        + " a broken exactly-once check does. Absolute numbers differ 2× between machines of one kind"
                        + " (peers/RESULTS.md): compare ratios measured in the same run.\n\n");
        md.append("**All correctness checks held: ").append(report.sound() ? "yes" : "NO").append("**\n\n");

        md.append("## Machine, versions, settings\n\n| | |\n|---|---|\n");
        report.machine().forEach((k, v) -> row(md, k, v));
        row(md, "load average before", report.loadBefore());
        row(md, "load average after", report.loadAfter());
        report.versions().forEach((k, v) -> row(md, k, v));
        report.settings().forEach((k, v) -> row(md, k, v));
        row(md, "deployment", report.deployment());
        report.serviceSettings().forEach((k, v) -> row(md, "service -D" + k, v));
        report.postgres().forEach((k, v) -> row(md, "PostgreSQL " + k, v));
        md.append('\n');

        md.append("## Summary\n\n| workload | figure | value | target | status |\n|---|---|---|---|---|\n");
        for (WorkloadResult result : report.results()) {
            if (result.error() != null) {
                md.append("| ").append(result.id()).append(" | **did not finish** | – | – | ERROR: ")
                        .append(cell(result.error())).append(" |\n");
            }
            for (Figure f : result.figures()) {
                md.append("| ").append(result.id()).append(" | ").append(cell(f.label())).append(" | ").append(f.formattedValue())
                        .append(" | ").append(f.formattedTarget()).append(" | ").append(status(f)).append(" |\n");
            }
        }
        md.append('\n');

        for (WorkloadResult result : report.results()) {
            workload(md, result);
        }

        md.append("## Peers, for comparison\n\nFrom ").append(PeerFigures.SOURCE).append(". Not measured by this run.\n\n");
        md.append("| system | W1 jobs/s |\n|---|---|\n");
        PeerFigures.W1.forEach(p -> md.append("| ").append(p.system()).append(" | ")
                .append(String.format(Locale.ROOT, "%,.0f", p.jobsPerSecond())).append(" |\n"));
        md.append("\n| system | mode | W2 p50 / p95 / p99 ms |\n|---|---|---|\n");
        PeerFigures.W2.forEach(p -> md.append("| ").append(p.system()).append(" | ").append(p.mode()).append(" | ")
                .append(String.format(Locale.ROOT, "%s / %s / %s", num(p.p50()), num(p.p95()), num(p.p99()))).append(" |\n"));
        return md.toString();
    }

    public static void write(Report report, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, render(report));
    }

    private static void workload(StringBuilder md, WorkloadResult result) {
        md.append("## ").append(result.id()).append(" — ").append(result.title()).append("\n\n");
        if (result.error() != null) {
            md.append("**Did not finish:** ").append(result.error()).append("\n\n");
        }
        for (Figure f : result.figures()) {
            md.append("- ").append(f.label()).append(": **").append(f.formattedValue()).append("**")
                    .append(f.target() == null ? "" : " (target " + f.formattedTarget() + ", " + status(f) + ")")
                    .append(f.note() == null || f.note().isEmpty() ? "" : " — " + f.note()).append('\n');
        }
        if (!result.figures().isEmpty()) {
            md.append('\n');
        }
        if (!result.checks().isEmpty()) {
            md.append("| check | held | seen |\n|---|---|---|\n");
            for (Check c : result.checks()) {
                md.append("| ").append(cell(c.label())).append(" | ").append(c.ok() ? "yes" : "**NO**").append(" | ")
                        .append(cell(c.detail())).append(" |\n");
            }
            md.append('\n');
        }
        if (!result.measurements().isEmpty()) {
            measurements(md, result);
        }
        result.notes().forEach(n -> md.append("- ").append(n).append('\n'));
        if (!result.notes().isEmpty()) {
            md.append('\n');
        }
        result.texts().forEach((title, body) -> md.append("**").append(title).append("**\n\n```\n").append(body.strip())
                .append("\n```\n\n"));
    }

    /**
     * One row per run; runs with the same fields share a table (Jobyard's runs and a floor's runs differ), one
     * column per field, nested objects flattened one level, and a verification object shown by its verdict alone
     * (its counts are in the checks table above).
     */
    private static void measurements(StringBuilder md, WorkloadResult result) {
        Map<Set<String>, List<Map<String, Object>>> tables = new java.util.LinkedHashMap<>();
        for (JsonObject m : result.measurements()) {
            Map<String, Object> flat = flatten(m);
            tables.computeIfAbsent(new LinkedHashSet<>(flat.keySet()), k -> new java.util.ArrayList<>()).add(flat);
        }
        md.append("Runs:\n\n");
        tables.forEach((columns, rows) -> {
            md.append('|');
            columns.forEach(c -> md.append(' ').append(c).append(" |"));
            md.append("\n|");
            columns.forEach(c -> md.append("---|"));
            md.append('\n');
            for (Map<String, Object> row : rows) {
                md.append('|');
                columns.forEach(c -> md.append(' ').append(cell(String.valueOf(row.getOrDefault(c, "")))).append(" |"));
                md.append('\n');
            }
            md.append('\n');
        });
    }

    private static Map<String, Object> flatten(JsonObject json) {
        Map<String, Object> flat = new java.util.LinkedHashMap<>();
        json.forEach(e -> {
            if (e.getValue() instanceof JsonObject nested && nested.containsKey("exactlyOnce")) {
                flat.put("exactlyOnce", nested.getValue("exactlyOnce"));
            } else if (e.getValue() instanceof JsonObject nested) {
                nested.forEach(n -> flat.put(e.getKey() + "." + n.getKey(), n.getValue()));
            } else {
                flat.put(e.getKey(), e.getValue());
            }
        });
        return flat;
    }

    private static String status(Figure f) {
        return switch (f.status()) {
            case PASS -> "pass";
            case FAIL -> "**fail**";
            case INFO -> "–";
            case NOT_MEASURED -> "not measured: " + cell(f.note());
        };
    }

    private static void row(StringBuilder md, String key, Object value) {
        md.append("| ").append(cell(key)).append(" | ").append(cell(String.valueOf(value))).append(" |\n");
    }

    private static String cell(String text) {
        return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
    }

    private static String num(double value) {
        return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }
}
