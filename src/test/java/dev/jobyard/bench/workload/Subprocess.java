package dev.jobyard.bench.workload;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a peers' script (bash, node, npm) with its output in a log file; a failure or a timeout is an exception with the log's tail. */
final class Subprocess {

    private Subprocess() {
    }

    /** Runs {@code command} in {@code directory} and returns its output lines (stdout and stderr together). */
    static List<String> run(List<String> command, Path directory, Map<String, String> environment, Duration timeout,
            Path log) throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(String.join(" ", command) + " still running after " + timeout + "; "
                        + tail(log));
            }
        } finally {
            if (process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue() + "; "
                    + tail(log));
        }
        return lines;
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return "last lines of " + log + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }
}
