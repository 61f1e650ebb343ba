package dev.jobyard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/** Facts about this machine from /proc: what the numbers were measured on, and how busy it was. */
public final class Machine {

    private Machine() {
    }

    /** Cores, memory, CPU model and kernel, for the report's header. */
    public static Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cores", Runtime.getRuntime().availableProcessors());
        out.put("memoryMb", meminfoKb("MemTotal") / 1024);
        out.put("cpuModel", cpuModel());
        out.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        return out;
    }

    /** The 1-minute load average; it counts the benchmark, the service and PostgreSQL as well as anything else. */
    public static double load1() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** The full /proc/loadavg line (1, 5 and 15 minutes, runnable/total tasks). */
    public static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unavailable: " + e.getMessage();
        }
    }

    /** Resident memory of a process (VmRSS in /proc/&lt;pid&gt;/status), in kB; empty when it cannot be read. */
    public static OptionalLong rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            }
        } catch (IOException | RuntimeException e) {
            // The process is gone or not ours to read.
        }
        return OptionalLong.empty();
    }

    /** CPU a process and its threads have used (user + system), and how much of it the JIT compiler threads used. */
    public record Cpu(long totalMs, long jitMs) {
        public Cpu minus(Cpu before) {
            return new Cpu(totalMs - before.totalMs, jitMs - before.jitMs);
        }
    }

    /** From /proc/&lt;pid&gt;/stat and each thread's stat (names "C1 CompilerThre…", "C2 CompilerThre…"); empty if unreadable. */
    public static java.util.Optional<Cpu> cpu(long pid) {
        try {
            long total = ticks(Path.of("/proc", String.valueOf(pid), "stat"));
            long jit = 0;
            try (var tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    try {
                        if (Files.readString(task.resolve("comm")).contains("CompilerThre")) {
                            jit += ticks(task.resolve("stat"));
                        }
                    } catch (IOException e) {
                        // The thread ended between the listing and the read.
                    }
                }
            }
            return java.util.Optional.of(new Cpu(total * MILLIS_PER_TICK, jit * MILLIS_PER_TICK));
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    // USER_HZ is 100 on every Linux this runs on (x86-64 and arm64 kernels fix it for /proc).
    private static final long MILLIS_PER_TICK = 10;

    /** utime + stime of a /proc stat line; the command name in parentheses may hold spaces, so fields count after it. */
    private static long ticks(Path stat) throws IOException {
        String line = Files.readString(stat);
        String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static long meminfoKb(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith(key + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux: reported as 0.
        }
        return 0;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
