package dev.jobyard.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

import dev.jobyard.bench.Figure;
import dev.jobyard.bench.WorkloadResult;

/**
 * target/bench/plot.svg: W1 throughput (linear bars) and W2 start latency (p50 and p99 bars on a log scale,
 * since poll-based peers are three orders of magnitude away) of this run next to the peers' published figures.
 * Plain SVG text, so no plotting library is needed.
 */
public final class PlotSvg {

    private static final int WIDTH = 960;
    private static final int LABEL = 360;
    private static final int BARS = 480;
    private static final int ROW = 24;
    private static final String JOBYARD = "#2563eb";
    private static final String JOBYARD_LIGHT = "#93c5fd";
    private static final String FLOOR = "#f59e0b";
    private static final String FLOOR_LIGHT = "#fcd34d";
    private static final String PEER = "#6b7280";
    private static final String PEER_LIGHT = "#d1d5db";
    private static final double LOG_MIN = 0.1;
    private static final double LOG_MAX = 20_000;

    private record Bar(String label, double value, String color) {
    }

    private record LatencyBar(String label, double p50, double p99, String dark, String light) {
    }

    private PlotSvg() {
    }

    public static String render(Report report) {
        List<Bar> throughput = new ArrayList<>();
        figure(report, "w1.jobsPerSecond").ifPresent(v -> throughput.add(new Bar("Jobyard (this run)", v, JOBYARD)));
        figure(report, "w1cold.jobsPerSecond").ifPresent(v -> throughput.add(new Bar("Jobyard, new JVM's first jobs (this run)", v, JOBYARD)));
        figure(report, "w1off.jobsPerSecond").ifPresent(v -> throughput.add(new Bar("Jobyard, batching off (this run)", v, JOBYARD)));
        figure(report, "pgbench.batch100").ifPresent(v -> throughput.add(new Bar("raw SQL 100/claim, pgbench (this run)", v, FLOOR)));
        figure(report, "pgbench.archive100").ifPresent(v -> throughput.add(new Bar("raw SQL 100/claim + archive (this run)", v, FLOOR)));
        PeerFigures.W1.forEach(p -> throughput.add(new Bar(p.system(), p.jobsPerSecond(), PEER)));

        List<LatencyBar> latency = new ArrayList<>();
        OptionalDouble p50 = figure(report, "w2.p50");
        OptionalDouble p99 = figure(report, "w2.p99");
        if (p50.isPresent() && p99.isPresent()) {
            latency.add(new LatencyBar("Jobyard (this run)", p50.getAsDouble(), p99.getAsDouble(), JOBYARD, JOBYARD_LIGHT));
        }
        OptionalDouble f50 = figure(report, "notify.p50");
        OptionalDouble f99 = figure(report, "notify.p99");
        if (f50.isPresent() && f99.isPresent()) {
            latency.add(new LatencyBar("LISTEN/NOTIFY, no library (this run)", f50.getAsDouble(), f99.getAsDouble(), FLOOR, FLOOR_LIGHT));
        }
        PeerFigures.W2.forEach(p -> latency.add(new LatencyBar(p.system() + " (" + p.mode() + ")", p.p50(), p.p99(), PEER, PEER_LIGHT)));

        int top = 40;
        int panel1 = top + 30 + throughput.size() * ROW;
        int panel2Top = panel1 + 60;
        int height = panel2Top + 30 + latency.size() * ROW + 50;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">\n", WIDTH, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", WIDTH, height));
        svg.append(text(10, 20, "Jobyard benchmark " + report.generatedAt() + " (" + report.versions().get("jobyardCommit")
                + ") vs peers (" + "issue 5, same machine" + ")", 14, "bold"));
        throughputPanel(svg, throughput, top);
        latencyPanel(svg, latency, panel2Top);
        svg.append(text(10, height - 12, "Blue: Jobyard, this run. Orange: raw-SQL floors, this run. Grey: peers' published"
                + " medians. Dashed red: issue 5 targets.", 11, "normal"));
        svg.append("</svg>\n");
        return svg.toString();
    }

    public static void write(Report report, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, render(report));
    }

    private static void throughputPanel(StringBuilder svg, List<Bar> bars, int top) {
        svg.append(text(10, top + 14, "W1 throughput, jobs/s (higher is better)", 13, "bold"));
        double max = Math.max(12_000, bars.stream().mapToDouble(Bar::value).max().orElse(1)) * 1.1;
        int y = top + 26;
        for (Bar bar : bars) {
            int w = (int) Math.round(bar.value() / max * BARS);
            svg.append(text(10, y + 15, bar.label(), 12, "normal"));
            svg.append(rect(LABEL, y + 3, Math.max(1, w), ROW - 6, bar.color()));
            svg.append(text(LABEL + w + 6, y + 15, String.format(Locale.ROOT, "%,.0f", bar.value()), 12, "normal"));
            y += ROW;
        }
        int target = LABEL + (int) Math.round(12_000 / max * BARS);
        svg.append(dashed(target, top + 22, y));
        svg.append(text(target + 4, top + 22, "target 12,000", 11, "normal"));
    }

    private static void latencyPanel(StringBuilder svg, List<LatencyBar> bars, int top) {
        svg.append(text(10, top + 14, "W2 start latency, ms, log scale (dark: p50, light: p99; lower is better)", 13, "bold"));
        int y = top + 26;
        for (LatencyBar bar : bars) {
            svg.append(text(10, y + 15, bar.label(), 12, "normal"));
            svg.append(rect(LABEL, y + 3, logX(bar.p99()) - LABEL, ROW - 6, bar.light()));
            svg.append(rect(LABEL, y + 3, logX(bar.p50()) - LABEL, ROW - 6, bar.dark()));
            svg.append(text(logX(bar.p99()) + 6, y + 15, num(bar.p50()) + " / " + num(bar.p99()), 12, "normal"));
            y += ROW;
        }
        for (double tick : new double[] {0.1, 1, 10, 100, 1_000, 10_000}) {
            int x = logX(tick);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#e5e7eb\"/>\n", x, top + 22, x, y));
            svg.append(text(x - 8, y + 14, num(tick), 10, "normal"));
        }
        svg.append(dashed(logX(5), top + 22, y));
        svg.append(text(logX(5) - 34, top + 22, "p50 ≤ 5", 11, "normal"));
        svg.append(dashed(logX(10), top + 22, y));
        svg.append(text(logX(10) + 4, top + 22, "p99 ≤ 10", 11, "normal"));
    }

    private static int logX(double value) {
        double clamped = Math.max(LOG_MIN, Math.min(LOG_MAX, value));
        return LABEL + (int) Math.round(Math.log10(clamped / LOG_MIN) / Math.log10(LOG_MAX / LOG_MIN) * BARS);
    }

    private static OptionalDouble figure(Report report, String key) {
        for (WorkloadResult result : report.results()) {
            OptionalDouble value = result.find(key).map(Figure::value).filter(v -> !Double.isNaN(v))
                    .map(OptionalDouble::of).orElse(OptionalDouble.empty());
            if (value.isPresent()) {
                return value;
            }
        }
        return OptionalDouble.empty();
    }

    private static String rect(int x, int y, int w, int h, String color) {
        return String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>\n", x, y, Math.max(1, w), h, color);
    }

    private static String dashed(int x, int y1, int y2) {
        return String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#dc2626\" stroke-dasharray=\"4 3\"/>\n",
                x, y1, x, y2);
    }

    private static String text(int x, int y, String content, int size, String weight) {
        return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"%d\" font-weight=\"%s\">%s</text>\n", x, y, size,
                weight, content.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"));
    }

    private static String num(double value) {
        return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value)
                : value >= 1 ? String.format(Locale.ROOT, "%.1f", value) : String.format(Locale.ROOT, "%.2f", value);
    }
}
