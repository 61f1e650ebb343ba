package dev.jobyard.bench.workload;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import dev.jobyard.bench.BenchContext;
import dev.jobyard.bench.Machine;
import dev.jobyard.bench.Progress;
import dev.jobyard.bench.Service;
import io.vertx.core.json.JsonObject;

/**
 * One W1-shaped measurement (W1, W3, W4 and W6 use it) on a fresh service whose {@code default} queue is
 * paused: create the jobs with {@code createJobs} (timed apart, as "enqueue"), CHECKPOINT, then t0 just
 * before {@code resumeQueue}, and t1 at the first 10 ms poll that finds every created job archived, then the
 * exactly-once check. jobs/s = jobs / (t1 − t0).
 * <p>
 * The poll asks whether any of the created ids is still in {@code job} (one index probe, cheap enough to run
 * every 10 ms on two cores without slowing what it measures); a job leaves {@code job} in the very transaction
 * that archives it (DESIGN.md invariant 1), so that is the moment history holds all of them; the check that
 * they are all COMPLETED follows.
 */
final class ThroughputRun {

    private static final String ANY_ACTIVE = "SELECT EXISTS (SELECT 1 FROM jobyard.job WHERE id BETWEEN ? AND ?)";
    private static final long POLL_MILLIS = 10;

    /** Work to do after the jobs exist and before t0 (e.g. EXPLAIN the claim on exactly that state). */
    interface BeforeStart {
        void run(Connection connection, List<Long> ids) throws Exception;
    }

    record Result(String label, int jobs, int calls, double enqueueMs, double seconds, double jobsPerSecond,
            double resumeCallMs, double load1Before, double load1After, OptionalLong rssEndKb, ExactlyOnce.Seen seen,
            List<Long> ids, Optional<Machine.Cpu> cpu) {

        /** The replica's CPU per job between t0 and t1, all threads, in µs; NaN when /proc could not be read. */
        double cpuMicrosPerJob() {
            return cpu.map(c -> c.totalMs() * 1000.0 / jobs).orElse(Double.NaN);
        }

        /** The share of that CPU the JIT compiler threads used. */
        double jitShare() {
            // A run too short for one 10 ms tick of CPU spent none of it compiling either.
            return cpu.map(c -> c.totalMs() == 0 ? 0.0 : (double) c.jitMs() / c.totalMs()).orElse(Double.NaN);
        }


        JsonObject json() {
            JsonObject json = new JsonObject().put("label", label).put("jobs", jobs).put("createJobsCalls", calls)
                    .put("enqueueMs", round(enqueueMs)).put("processingSeconds", round(seconds))
                    .put("jobsPerSecond", round(jobsPerSecond)).put("resumeQueueCallMs", round(resumeCallMs))
                    .put("load1Before", load1Before).put("load1After", load1After).put("verification", seen.json());
            rssEndKb.ifPresent(kb -> json.put("rssAtEndKb", kb));
            cpu.ifPresent(c -> json.put("replicaCpuMs", c.totalMs()).put("jitCpuMs", c.jitMs())
                    .put("replicaCpuUsPerJob", round(cpuMicrosPerJob())));
            return json;
        }
    }

    private ThroughputRun() {
    }

    /**
     * Runs {@code throughputWarmup} unmeasured noop jobs through the freshly started service the way the
     * measurement will: created into the paused {@code default} queue with {@code createJobs} in calls of the
     * measured size, then resumed and run to the end, in rounds of the measured job count; it ends paused.
     * Every measurement gets a new JVM (the database is new), whose first rounds run while the JIT compiles the
     * create, claim and complete paths: on two cores that compiling took more CPU than the jobs (970 of 1,840 ms
     * in one profiled W1), and 10,000 jobs created while the queue ran did not finish it. The peers' JVM
     * repetitions 2 and 3 ran warm, after a whole measured run; this puts every repetition on that footing.
     */
    static void warmUpThenPause(BenchContext context, Service service) throws Exception {
        int left = context.sizes().throughputWarmup();
        while (left > 0) {
            int jobs = Math.min(left, context.sizes().w1Jobs());
            left -= jobs;
            service.api().pauseQueue("default");
            List<Long> ids = new ArrayList<>(jobs);
            for (List<Map<String, Object>> call : JobInputs.noop(jobs, context.sizes().enqueueBatch())) {
                ids.addAll(service.api().createJobs(call));
            }
            service.api().resumeQueue("default");
            long first = ids.stream().mapToLong(Long::longValue).min().orElseThrow();
            long last = ids.stream().mapToLong(Long::longValue).max().orElseThrow();
            try (Connection connection = context.database().connect();
                    PreparedStatement anyActive = connection.prepareStatement(ANY_ACTIVE)) {
                anyActive.setLong(1, first);
                anyActive.setLong(2, last);
                long deadline = System.nanoTime() + timeoutNanos(jobs);
                while (exists(anyActive)) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("warm-up jobs still active after " + timeoutNanos(jobs) / 1_000_000_000 + " s");
                    }
                    Thread.sleep(POLL_MILLIS);
                }
            }
        }
        service.api().pauseQueue("default");
    }

    static Result measure(BenchContext context, Service service, String label, List<List<Map<String, Object>>> calls,
            BeforeStart beforeStart) throws Exception {
        int jobs = calls.stream().mapToInt(List::size).sum();
        List<Long> ids = new ArrayList<>(jobs);
        long enqueueStart = System.nanoTime();
        for (List<Map<String, Object>> call : calls) {
            ids.addAll(service.api().createJobs(call));
        }
        double enqueueMs = (System.nanoTime() - enqueueStart) / 1e6;
        long first = ids.stream().mapToLong(Long::longValue).min().orElseThrow();
        long last = ids.stream().mapToLong(Long::longValue).max().orElseThrow();
        try (Connection connection = context.database().connect()) {
            beforeStart.run(connection, ids);
            context.database().checkpoint().ifPresent(Progress::log);
            double load1Before = Machine.load1();
            try (PreparedStatement anyActive = connection.prepareStatement(ANY_ACTIVE)) {
                anyActive.setLong(1, first);
                anyActive.setLong(2, last);
                long deadline = System.nanoTime() + timeoutNanos(jobs);
                OptionalLong pid = service.first().pid();
                Optional<Machine.Cpu> cpuBefore = pid.isPresent() ? Machine.cpu(pid.getAsLong()) : Optional.empty();
                long t0 = System.nanoTime();
                service.api().resumeQueue("default");
                double resumeCallMs = (System.nanoTime() - t0) / 1e6;
                long t1;
                while (true) {
                    if (!exists(anyActive)) {
                        t1 = System.nanoTime();
                        break;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(label + ": jobs still active after " + timeoutNanos(jobs) / 1_000_000_000
                                + " s: " + ExactlyOnce.verify(connection, ids).json().encode());
                    }
                    Thread.sleep(POLL_MILLIS);
                }
                Optional<Machine.Cpu> cpu = cpuBefore.flatMap(before -> Machine.cpu(pid.getAsLong()).map(after -> after.minus(before)));
                OptionalLong rss = pid.isPresent() ? Machine.rssKb(pid.getAsLong()) : OptionalLong.empty();
                double load1After = Machine.load1();
                double seconds = (t1 - t0) / 1e9;
                ExactlyOnce.Seen seen = ExactlyOnce.verify(connection, ids);
                Result result = new Result(label, jobs, calls.size(), enqueueMs, seconds, jobs / seconds, resumeCallMs,
                        load1Before, load1After, rss, seen, ids, cpu);
                Progress.log(String.format("%s: %d jobs in %.2f s = %.0f jobs/s (enqueue %.0f ms, replica CPU %.0f µs/job, JIT %.0f %%),"
                        + " exactly once: %s", label, jobs, seconds, result.jobsPerSecond(), enqueueMs, result.cpuMicrosPerJob(),
                        result.jitShare() * 100, seen.ok()));
                return result;
            }
        }
    }

    private static boolean exists(PreparedStatement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** Ten minutes plus 20 ms a job: generous on a slow machine, which must still get a report, not a hang. */
    private static long timeoutNanos(int jobs) {
        return (600_000L + 20L * jobs) * 1_000_000L;
    }

    static double round(double value) {
        return Math.round(value * 100.0) / 100.0;
    }
}
