package dev.jobyard.bench.workload;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.jobyard.bench.BenchContext;
import dev.jobyard.bench.Check;
import dev.jobyard.bench.Figure;
import dev.jobyard.bench.Percentiles;
import dev.jobyard.bench.Progress;
import dev.jobyard.bench.Service;
import dev.jobyard.bench.Workload;
import dev.jobyard.bench.WorkloadResult;
import io.vertx.core.json.JsonObject;

/**
 * W7 durable tasks (issue 18), three parts on one fresh replica per repetition:
 * <ol>
 * <li>step overhead: W1's noop jobs, then as many {@code durable_script} jobs of one step, each run like W1
 * (created into the paused default queue, timed from resume until none is active);</li>
 * <li>emitEvent to resume: {@code waiters} tasks parked in {@code waitForEvent}, one {@code emitEvent}, and per task
 * the start of its resumed attempt (job_history.started_at) minus the event's emitted_at, both database clock;</li>
 * <li>sleeping tasks per worker thread: {@code waiters} tasks sleeping 2 s on a queue of 2 workers; the most that
 * sleep at once, per thread, and how long until all are done.</li>
 * </ol>
 */
public final class W7Durable implements Workload {

    static final String SLEEP_QUEUE = "w7-sleep";
    private static final int SLEEP_THREADS = 2;
    private static final long POLL_MILLIS = 10;

    private static final String WAITING = "SELECT count(*) FROM jobyard.job WHERE id = ANY(?) AND status = 'WAITING'";
    private static final String ACTIVE = "SELECT count(*) FROM jobyard.job WHERE id = ANY(?)";
    private static final String SLEEPING = """
            SELECT count(*) FROM jobyard.durable_wait w JOIN jobyard.job j ON j.id = w.job_id
             WHERE w.job_id = ANY(?) AND w.type = 'sleep' AND j.status = 'PENDING'""";
    private static final String RESUME_LATENCY = """
            SELECT extract(epoch FROM h.started_at - e.emitted_at) * 1000 AS ms
              FROM jobyard.job_history h, jobyard.durable_event e
             WHERE h.id = ANY(?) AND e.name = ? AND h.status = 'COMPLETED'""";

    @Override
    public String id() {
        return "W7";
    }

    @Override
    public String title() {
        return "Durable tasks: step overhead, emitEvent to resume, sleeping tasks per worker thread";
    }

    @Override
    public WorkloadResult run(BenchContext context) throws Exception {
        WorkloadResult result = new WorkloadResult(id(), title());
        Map<String, List<Double>> figures = new HashMap<>();
        int jobs = context.sizes().w1Jobs();
        int waiters = Math.max(10, Math.min(1_000, jobs / 20));
        for (int rep = 1; rep <= context.sizes().reps(); rep++) {
            try (Service service = context.deployment().fresh("w7-" + rep, 1,
                    Map.of("jobyard.queues." + SLEEP_QUEUE + ".concurrency", String.valueOf(SLEEP_THREADS)))) {
                ThroughputRun.warmUpThenPause(context, service);
                ThroughputRun.Result plain = ThroughputRun.measure(context, service, "w7-noop-" + rep,
                        JobInputs.noop(jobs, context.sizes().enqueueBatch()), (c, ids) -> {
                        });
                service.api().pauseQueue("default");
                ThroughputRun.Result durable = ThroughputRun.measure(context, service, "w7-step-" + rep,
                        scripts(jobs, context.sizes().enqueueBatch(), List.of(Map.of("op", "step", "key", "a"))),
                        (c, ids) -> {
                        });
                result.check(plain.seen().check("W7 run " + rep + ": every noop job ran exactly once"));
                result.check(durable.seen().check("W7 run " + rep + ": every one-step task completed on its first attempt"));
                double overheadMs = 1000.0 / durable.jobsPerSecond() - 1000.0 / plain.jobsPerSecond();
                add(figures, "noopPerSecond", plain.jobsPerSecond());
                add(figures, "stepPerSecond", durable.jobsPerSecond());
                add(figures, "stepOverheadMs", overheadMs);

                JsonObject resume = resumeLatency(context, service, rep, waiters, result);
                add(figures, "resumeP50", resume.getDouble("p50Ms"));
                add(figures, "resumeP95", resume.getDouble("p95Ms"));
                JsonObject sleep = sleepers(context, service, rep, waiters, result);
                add(figures, "sleepersPerThread", sleep.getDouble("mostSleepingPerThread"));
                add(figures, "sleepSeconds", sleep.getDouble("seconds"));
                result.measurement(new JsonObject().put("rep", rep).put("noop", plain.json()).put("oneStep", durable.json())
                        .put("stepOverheadMs", ThroughputRun.round(overheadMs)).put("resume", resume).put("sleep", sleep));
            }
        }
        String how = "median of " + context.sizes().reps() + " runs";
        result.figure(Figure.info("w7.noopPerSecond", "W7 noop jobs/s (W1's procedure)",
                Percentiles.median(figures.get("noopPerSecond")), "jobs/s", how));
        result.figure(Figure.info("w7.stepPerSecond", "W7 one-step durable tasks/s (same procedure)",
                Percentiles.median(figures.get("stepPerSecond")), "jobs/s", how));
        result.figure(Figure.info("w7.stepOverhead", "W7 cost of a durable step over a plain job (1/rate difference)",
                Percentiles.median(figures.get("stepOverheadMs")), "ms", how));
        result.figure(Figure.info("w7.resumeP50", "W7 emitEvent to resume p50, " + waiters + " waiters",
                Percentiles.median(figures.get("resumeP50")), "ms", how));
        result.figure(Figure.info("w7.resumeP95", "W7 emitEvent to resume p95, " + waiters + " waiters",
                Percentiles.median(figures.get("resumeP95")), "ms", how));
        result.figure(Figure.info("w7.sleepersPerThread", "W7 tasks sleeping at once per worker thread",
                Percentiles.median(figures.get("sleepersPerThread")), "tasks", how));
        result.figure(Figure.info("w7.sleepSeconds", "W7 " + waiters + " tasks sleeping 2 s on " + SLEEP_THREADS
                + " workers: all done after", Percentiles.median(figures.get("sleepSeconds")), "s", how));
        result.note("Step overhead: the one-step task loads its saved steps (one statement), saves the step (one fenced"
                + " statement), then completes like a noop; the figure is 1/(tasks/s) - 1/(noop jobs/s) on the default"
                + " queue's workers, i.e. per job of throughput, not per job of latency.");
        result.note("Resume latency: job_history.started_at of the resumed attempt (the claim's now()) minus"
                + " durable_event.emitted_at (the emitting transaction's now()); the waiters are woken by that transaction"
                + " and claimed through NOTIFY like any runnable job.");
        return result;
    }

    private static void add(Map<String, List<Double>> figures, String key, double value) {
        figures.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }

    private static List<List<Map<String, Object>>> scripts(int count, int batchSize, List<Map<String, Object>> ops) {
        return scripts(count, batchSize, "default", ops);
    }

    private static List<List<Map<String, Object>>> scripts(int count, int batchSize, String queue,
            List<Map<String, Object>> ops) {
        List<List<Map<String, Object>>> calls = new ArrayList<>();
        List<Map<String, Object>> call = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            call.add(Map.of("kind", "durable_script", "queue", queue, "payload", Map.of("ops", ops, "i", i)));
            if (call.size() == batchSize) {
                calls.add(call);
                call = new ArrayList<>();
            }
        }
        if (!call.isEmpty()) {
            calls.add(call);
        }
        return calls;
    }

    private static List<Long> create(Service service, List<List<Map<String, Object>>> calls) {
        List<Long> ids = new ArrayList<>();
        for (List<Map<String, Object>> call : calls) {
            ids.addAll(service.api().createJobs(call));
        }
        return ids;
    }

    /** The single number {@code sql} answers with {@code ids} as its bigint[] parameter (W9 counts the same way). */
    static long count(Connection connection, String sql, List<Long> ids) throws Exception {
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            s.setArray(1, connection.createArrayOf("bigint", ids.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void await(Connection connection, String sql, List<Long> ids, long expected, String what)
            throws Exception {
        long deadline = System.nanoTime() + 600_000_000_000L;
        while (count(connection, sql, ids) != expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("W7: " + what + " did not happen within 10 minutes");
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private static JsonObject resumeLatency(BenchContext context, Service service, int rep, int waiters,
            WorkloadResult result) throws Exception {
        String event = "w7-event-" + rep;
        service.api().resumeQueue("default");
        List<Long> ids = create(service, scripts(waiters, context.sizes().enqueueBatch(),
                List.of(Map.of("op", "waitForEvent", "key", "w", "event", event, "timeoutMs", 600_000))));
        try (Connection connection = context.database().connect()) {
            await(connection, WAITING, ids, ids.size(), "all waiters parked");
            JsonObject answer = service.api().graphql().execute("mutation($n: String!) { emitEvent(name: $n, payload: {go: 1}) }",
                    Map.of("n", event));
            int woke = answer.getInteger("emitEvent");
            await(connection, ACTIVE, ids, 0, "all waiters resumed and completed");
            List<Double> latencies = new ArrayList<>();
            try (PreparedStatement s = connection.prepareStatement(RESUME_LATENCY)) {
                s.setArray(1, connection.createArrayOf("bigint", ids.toArray()));
                s.setString(2, event);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        latencies.add(rs.getDouble("ms"));
                    }
                }
            }
            result.check(new Check("W7 run " + rep + ": one emitEvent woke and completed every waiter",
                    woke == waiters && latencies.size() == waiters, "woke " + woke + ", completed " + latencies.size()
                            + " of " + waiters));
            double[] values = latencies.stream().mapToDouble(Double::doubleValue).toArray();
            JsonObject json = new JsonObject().put("waiters", waiters).put("woke", woke)
                    .put("p50Ms", ThroughputRun.round(Percentiles.of(values, 50)))
                    .put("p95Ms", ThroughputRun.round(Percentiles.of(values, 95)))
                    .put("maxMs", ThroughputRun.round(Percentiles.max(values)));
            Progress.log("w7-resume-" + rep + ": " + json.encode());
            return json;
        }
    }

    private static JsonObject sleepers(BenchContext context, Service service, int rep, int count, WorkloadResult result)
            throws Exception {
        long start = System.nanoTime();
        List<Long> ids = create(service, scripts(count, context.sizes().enqueueBatch(), SLEEP_QUEUE,
                List.of(Map.of("op", "sleep", "key", "s", "ms", 2000))));
        long most = 0;
        try (Connection connection = context.database().connect()) {
            long deadline = System.nanoTime() + 600_000_000_000L;
            while (count(connection, ACTIVE, ids) > 0) {
                most = Math.max(most, count(connection, SLEEPING, ids));
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("W7: sleepers still active after 10 minutes");
                }
                Thread.sleep(POLL_MILLIS);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            ExactlyOnce.Seen seen = ExactlyOnce.verify(connection, ids);
            result.check(seen.check("W7 run " + rep + ": every sleeper completed on its first attempt"));
            JsonObject json = new JsonObject().put("tasks", count).put("workers", SLEEP_THREADS)
                    .put("mostSleeping", most).put("mostSleepingPerThread", (double) most / SLEEP_THREADS)
                    .put("seconds", ThroughputRun.round(seconds));
            Progress.log("w7-sleep-" + rep + ": " + json.encode());
            return json;
        }
    }
}
