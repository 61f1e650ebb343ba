package dev.jobyard.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.vertx.core.json.JsonObject;

/**
 * What one fault cell saw, as docs/reliability.md reports it: written to {@code target/chaos/<test class>.json},
 * and {@code target/chaos/results.md} is rewritten as one table of every cell run so far (the table to copy into
 * the docs).
 */
record CellReport(String cell, String testClass, int jobs, long lost, long ranTwice, long rescued, long failed,
        Duration recovery, Map<String, Integer> clientErrors, String notes) {

    static final Path DIR = Path.of("target", "chaos");

    /** The command that runs this cell alone. */
    String command() {
        return "./mvnw -B verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=" + testClass;
    }

    void write() {
        JsonObject json = new JsonObject().put("cell", cell).put("testClass", testClass).put("jobs", jobs)
                .put("lost", lost).put("ranTwice", ranTwice).put("rescued", rescued).put("failed", failed)
                .put("recoveryMs", recovery == null ? null : recovery.toMillis())
                .put("clientErrors", new JsonObject(new TreeMap<>(clientErrors))).put("notes", notes)
                .put("command", command());
        try {
            Files.createDirectories(DIR);
            Files.writeString(DIR.resolve(testClass + ".json"), json.encodePrettily());
            Files.writeString(DIR.resolve("results.md"), table());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println("[fault cell] " + json.encode());
    }

    private static String table() throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("| cell | jobs | lost | ran twice | rescued | failed | recovery | errors the client saw | notes |");
        lines.add("|---|---|---|---|---|---|---|---|---|");
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonObject c = new JsonObject(Files.readString(file));
                Long ms = c.getLong("recoveryMs");
                StringBuilder errors = new StringBuilder();
                c.getJsonObject("clientErrors").forEach(e -> errors.append(errors.isEmpty() ? "" : "; ")
                        .append(e.getValue()).append("× ").append(e.getKey().replace("|", "\\|")));
                lines.add("| " + c.getString("cell") + " | " + c.getInteger("jobs") + " | " + c.getLong("lost") + " | "
                        + c.getLong("ranTwice") + " | " + c.getLong("rescued") + " | " + c.getLong("failed") + " | "
                        + (ms == null ? "–" : String.format("%.1f s", ms / 1000.0)) + " | "
                        + (errors.isEmpty() ? "none" : errors) + " | " + c.getString("notes").replace("|", "\\|")
                        + " |");
            }
        }
        return String.join("\n", lines) + "\n";
    }
}
