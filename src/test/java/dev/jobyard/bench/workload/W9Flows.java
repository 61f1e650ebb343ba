package dev.jobyard.bench.workload;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

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
 * W9 flows (issue 17), on one fresh replica per repetition, every job a noop on the {@code default} queue:
 * <ol>
 * <li>plain jobs: as many noop jobs as the diamond runs have tasks, run like W1 (the baseline of this run);</li>
 * <li>diamond: {@code runs} runs of a 4-step flow {@code a → (b, c) → d}, started with {@code startFlow} into the
 * paused queue, timed from resume until no run is STARTED;</li>
 * <li>map: runs of a flow whose root MAP step has one task per element of a 1,000-element input, followed by one
 * SINGLE step that gets the array of outputs, timed the same way.</li>
 * </ol>
 * Step-to-step latency, per edge of every run: the first start of the dependent step's tasks minus the last end of
 * the dependency's tasks, from job_history (started_at, completed_at: database clock, as W4's delay). Overhead per
 * task: 1/(flow tasks/s) − 1/(plain jobs/s), i.e. per task of throughput.
 */
public final class W9Flows implements Workload {

    private static final String QUEUE = "default";
    private static final long POLL_MILLIS = 10;
    private static final String STARTED = "SELECT count(*) FROM jobyard.flow_run WHERE id = ANY(?) AND status = 'STARTED'";
    // Every task job of the runs, as history has it; a run's tasks are its jobs labelled with the run's id.
    private static final String TASK_JOBS = """
            SELECT count(*) AS jobs, count(*) FILTER (WHERE status = 'COMPLETED' AND attempt = 1) AS completed_first,
                   count(DISTINCT (labels->>'flowRun', labels->>'step', labels->>'task')) AS distinct_tasks,
                   (SELECT count(*) FROM jobyard.job WHERE labels->>'flowRun' = ANY(?)) AS active
              FROM jobyard.job_history WHERE labels->>'flowRun' = ANY(?)""";
    private static final String RUNS = """
            SELECT count(*) FILTER (WHERE r.status = 'COMPLETED') AS completed,
                   count(*) FILTER (WHERE t.completed = t.tasks) AS all_tasks_completed
              FROM jobyard.flow_run r
              LEFT JOIN LATERAL (SELECT count(*) AS tasks, count(*) FILTER (WHERE status = 'COMPLETED' AND attempts = 1) AS completed
                                   FROM jobyard.flow_task WHERE run_id = r.id) t ON true
             WHERE r.id = ANY(?)""";
    // One row per edge (dependency step → dependent step) of every run.
    private static final String EDGES = """
            WITH steps AS (
                SELECT (labels->>'flowRun')::bigint AS run_id, labels->>'step' AS step,
                       min(started_at) AS first_start, max(completed_at) AS last_end
                  FROM jobyard.job_history WHERE labels->>'flowRun' = ANY(?) GROUP BY 1, 2)
            SELECT extract(epoch FROM d.first_start - p.last_end) * 1000 AS delay_ms
              FROM steps d
              JOIN jobyard.flow_run r ON r.id = d.run_id
              JOIN jobyard.flow_step fs ON fs.flow_id = r.flow_id AND fs.slug = d.step
             CROSS JOIN LATERAL jsonb_array_elements_text(fs.depends_on) AS dep(slug)
              JOIN steps p ON p.run_id = d.run_id AND p.step = dep.slug""";

    @Override
    public String id() {
        return "W9";
    }

    @Override
    public String title() {
        return "Flows: runs of a 4-step diamond and of a 1,000-element map";
    }

    /** Diamond runs, map runs and map elements: issue 17's sizes in full, fewer diamond runs and maps in smoke. */
    private record Size(int diamonds, int maps, int elements) {
        static Size of(BenchContext context) {
            return "smoke".equals(context.sizes().name()) ? new Size(20, 1, 200) : new Size(1_000, 3, 1_000);
        }
    }

    @Override
    public WorkloadResult run(BenchContext context) throws Exception {
        WorkloadResult result = new WorkloadResult(id(), title());
        Size size = Size.of(context);
        Map<String, List<Double>> figures = new HashMap<>();
        for (int rep = 1; rep <= context.sizes().reps(); rep++) {
            try (Service service = context.deployment().fresh("w9-" + rep, 1, Map.of())) {
                ThroughputRun.warmUpThenPause(context, service);
                ThroughputRun.Result plain = ThroughputRun.measure(context, service, "w9-noop-" + rep,
                        JobInputs.noop(4 * size.diamonds(), context.sizes().enqueueBatch()), (c, ids) -> {
                        });
                result.check(plain.seen().check("W9 run " + rep + ": every plain noop job ran exactly once"));
                createFlows(service);

                JsonObject diamond = runs(context, service, result, rep, "w9_diamond", size.diamonds(), 4, i -> Map.of("i", i));
                List<Integer> elements = IntStream.range(0, size.elements()).boxed().toList();
                JsonObject map = runs(context, service, result, rep, "w9_map", size.maps(), size.elements() + 1, i -> elements);

                double plainMsPerJob = 1000.0 / plain.jobsPerSecond();
                for (JsonObject part : List.of(diamond, map)) {
                    part.put("overheadPerTaskMs", ThroughputRun.round(1000.0 / part.getDouble("tasksPerSecond") - plainMsPerJob));
                }
                String[] names = { "diamond", "map" };
                JsonObject[] parts = { diamond, map };
                for (int i = 0; i < 2; i++) {
                    for (String key : List.of("runsPerSecond", "tasksPerSecond", "overheadPerTaskMs", "stepDelayP50Ms",
                            "stepDelayP95Ms")) {
                        figures.computeIfAbsent(names[i] + "." + key, k -> new ArrayList<>()).add(parts[i].getDouble(key));
                    }
                }
                figures.computeIfAbsent("plainPerSecond", k -> new ArrayList<>()).add(plain.jobsPerSecond());
                result.measurement(new JsonObject().put("rep", rep).put("plain", plain.json()).put("diamond", diamond)
                        .put("map", map));
            }
        }
        String how = "median of " + context.sizes().reps() + " runs";
        result.figure(Figure.info("w9.plainPerSecond", "W9 plain noop jobs/s (same replica, same queue)",
                Percentiles.median(figures.get("plainPerSecond")), "jobs/s", how));
        String[][] parts = { { "diamond", size.diamonds() + " diamond runs (4 steps)" },
                { "map", size.maps() + " map runs (" + size.elements() + " elements + 1 step)" } };
        for (String[] part : parts) {
            String p = part[0];
            result.figure(Figure.info("w9." + p + ".runsPerSecond", "W9 " + part[1] + ": runs/s",
                    Percentiles.median(figures.get(p + ".runsPerSecond")), "runs/s", how));
            result.figure(Figure.info("w9." + p + ".tasksPerSecond", "W9 " + part[1] + ": tasks/s",
                    Percentiles.median(figures.get(p + ".tasksPerSecond")), "tasks/s", how));
            result.figure(Figure.info("w9." + p + ".overheadPerTask", "W9 " + part[1] + ": overhead per task over a plain job",
                    Percentiles.median(figures.get(p + ".overheadPerTaskMs")), "ms", how));
            result.figure(Figure.info("w9." + p + ".stepDelayP50", "W9 " + part[1] + ": step-to-step latency p50",
                    Percentiles.median(figures.get(p + ".stepDelayP50Ms")), "ms", how));
            result.figure(Figure.info("w9." + p + ".stepDelayP95", "W9 " + part[1] + ": step-to-step latency p95",
                    Percentiles.median(figures.get(p + ".stepDelayP95Ms")), "ms", how));
        }
        result.note("Runs are started one startFlow call at a time into the paused default queue (their root tasks wait"
                + " there), then the queue is resumed and timed until no run is STARTED. Tasks per run: 4 (diamond),"
                + " elements + 1 (map). Overhead per task = 1/(tasks/s) − 1/(plain jobs/s), per task of throughput.");
        result.note("Step-to-step latency: for each dependency edge of each run, the earliest started_at of the dependent"
                + " step's task jobs minus the latest completed_at of the dependency's task jobs (job_history, both"
                + " now() of their transactions, as W4's dependency-to-start delay, which is the figure to compare with).");
        return result;
    }

    private static void createFlows(Service service) {
        List<Map<String, Object>> diamond = List.of(step("a", "SINGLE", List.of()), step("b", "SINGLE", List.of("a")),
                step("c", "SINGLE", List.of("a")), step("d", "SINGLE", List.of("b", "c")));
        List<Map<String, Object>> map = List.of(step("m", "MAP", List.of()), step("after", "SINGLE", List.of("m")));
        for (var flow : Map.of("w9_diamond", diamond, "w9_map", map).entrySet()) {
            service.api().graphql().execute("mutation($in: FlowInput!) { createFlow(input: $in) { id } }",
                    Map.of("in", Map.of("slug", flow.getKey(), "queue", QUEUE, "maxAttempts", 1, "steps", flow.getValue())));
        }
    }

    private static Map<String, Object> step(String slug, String type, List<String> dependsOn) {
        return Map.of("slug", slug, "type", type, "kind", "noop", "dependsOn", dependsOn);
    }

    /** Starts {@code count} runs of {@code slug} into the paused queue, runs them, checks them, and measures them. */
    private static JsonObject runs(BenchContext context, Service service, WorkloadResult result, int rep, String slug,
            int count, int tasksPerRun, java.util.function.IntFunction<Object> input) throws Exception {
        service.api().pauseQueue(QUEUE);
        List<Long> ids = new ArrayList<>(count);
        long enqueueStart = System.nanoTime();
        for (int i = 0; i < count; i++) {
            Map<String, Object> vars = new HashMap<>();
            vars.put("s", slug);
            vars.put("in", input.apply(i));
            ids.add(Long.parseLong(service.api().graphql().execute(
                    "mutation($s: String!, $in: JSON) { startFlow(slug: $s, input: $in) { id } }", vars)
                    .getJsonObject("startFlow").getString("id")));
        }
        double enqueueMs = (System.nanoTime() - enqueueStart) / 1e6;
        String[] runIds = ids.stream().map(String::valueOf).toArray(String[]::new);
        try (Connection connection = context.database().connect()) {
            long deadline = System.nanoTime() + (600_000L + 20L * count * tasksPerRun) * 1_000_000L;
            long t0 = System.nanoTime();
            service.api().resumeQueue(QUEUE);
            long t1;
            while (true) {
                if (W7Durable.count(connection, STARTED, ids) == 0) {
                    t1 = System.nanoTime();
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("W9 " + slug + ": runs still STARTED after the deadline");
                }
                Thread.sleep(POLL_MILLIS);
            }
            double seconds = (t1 - t0) / 1e9;
            long expected = (long) count * tasksPerRun;
            long jobs;
            long completedFirst;
            long distinct;
            long active;
            try (PreparedStatement s = connection.prepareStatement(TASK_JOBS)) {
                s.setArray(1, connection.createArrayOf("text", runIds));
                s.setArray(2, connection.createArrayOf("text", runIds));
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    jobs = rs.getLong("jobs");
                    completedFirst = rs.getLong("completed_first");
                    distinct = rs.getLong("distinct_tasks");
                    active = rs.getLong("active");
                }
            }
            long runsCompleted;
            long runsAllTasks;
            try (PreparedStatement s = connection.prepareStatement(RUNS)) {
                s.setArray(1, connection.createArrayOf("bigint", ids.toArray()));
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    runsCompleted = rs.getLong("completed");
                    runsAllTasks = rs.getLong("all_tasks_completed");
                }
            }
            result.check(new Check("W9 run " + rep + " " + slug + ": every run COMPLETED, every step's every task ran exactly once",
                    runsCompleted == count && runsAllTasks == count && jobs == expected && completedFirst == expected
                            && distinct == expected && active == 0,
                    runsCompleted + " of " + count + " runs COMPLETED, " + runsAllTasks + " with every task COMPLETED on"
                            + " attempt 1; " + jobs + " task jobs in history for " + expected + " tasks (" + distinct
                            + " distinct run/step/task, " + completedFirst + " COMPLETED on attempt 1), " + active
                            + " still active"));
            List<Double> delays = new ArrayList<>();
            try (PreparedStatement s = connection.prepareStatement(EDGES)) {
                s.setArray(1, connection.createArrayOf("text", runIds));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        delays.add(rs.getDouble("delay_ms"));
                    }
                }
            }
            double[] values = delays.stream().mapToDouble(Double::doubleValue).toArray();
            JsonObject json = new JsonObject().put("flow", slug).put("runs", count).put("tasks", expected)
                    .put("startFlowMs", ThroughputRun.round(enqueueMs)).put("processingSeconds", ThroughputRun.round(seconds))
                    .put("runsPerSecond", ThroughputRun.round(count / seconds))
                    .put("tasksPerSecond", ThroughputRun.round(expected / seconds)).put("edges", values.length)
                    .put("stepDelayP50Ms", ThroughputRun.round(Percentiles.of(values, 50)))
                    .put("stepDelayP95Ms", ThroughputRun.round(Percentiles.of(values, 95)))
                    .put("stepDelayMaxMs", ThroughputRun.round(Percentiles.max(values)));
            Progress.log(String.format("%s: %d runs (%d tasks) in %.2f s = %.1f runs/s, step-to-step p50 %.1f ms p95 %.1f ms",
                    slug, count, expected, seconds, count / seconds, json.getDouble("stepDelayP50Ms"),
                    json.getDouble("stepDelayP95Ms")));
            return json;
        }
    }
}
