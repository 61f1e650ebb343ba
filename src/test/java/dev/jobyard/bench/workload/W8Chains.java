package dev.jobyard.bench.workload;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import dev.jobyard.bench.BenchContext;
import dev.jobyard.bench.Check;
import dev.jobyard.bench.Deployment;
import dev.jobyard.bench.Figure;
import dev.jobyard.bench.Percentiles;
import dev.jobyard.bench.Progress;
import dev.jobyard.bench.Service;
import dev.jobyard.bench.Workload;
import dev.jobyard.bench.WorkloadResult;
import io.vertx.core.json.JsonObject;

/**
 * W8 chains (issue 16): {@code w8Runs} runs (1,000) of one chain of 5 {@code sql} tasks, against the same 5 statements
 * sent directly, both measured in the same repetition on one fresh replica.
 * <ol>
 * <li>chain: after W1's warm-up and as many unmeasured runs of the chain (up to 200), the runs are created with
 * {@code runChain} into the paused {@code default} queue; t0 just before {@code resumeQueue}, t1 at the first
 * 10 ms poll that finds none of them in {@code job}; runs/s = runs / (t1 - t0);</li>
 * <li>direct: as many transactions from as many JDBC connections as the queue has workers (16), each
 * {@code set_config} of the run id then the 5 statements then COMMIT; transactions/s the same way.</li>
 * </ol>
 * Per-task overhead, throughput basis: (1/(runs/s) - 1/(transactions/s)) x workers / 5, a worker's time per task
 * beyond the statement; latency basis: (p50 of a run's span from its first task's start to its last task's end in
 * the execution log - p50 of the 5 statements' span sent directly) / 5. Checks: every run COMPLETED at attempt 1,
 * 5 rows committed per run in one transaction (its txid), 5 successful log rows per run, 5 rows per direct
 * transaction.
 */
public final class W8Chains implements Workload {

    static final int TASKS = 5;
    private static final int MAX_WARMUP_RUNS = 200;
    private static final long POLL_MILLIS = 10;
    private static final String TABLE = "public.w8_rows";
    private static final String TASK = "INSERT INTO " + TABLE
            + " VALUES (current_setting('jobyard.chain_run_id')::bigint, %d, txid_current())";
    private static final String RUN = "mutation($id: ID!) { runChain(id: $id) { id } }";
    private static final String ANY_ACTIVE = "SELECT EXISTS (SELECT 1 FROM jobyard.job WHERE id BETWEEN ? AND ?)";
    private static final String ROWS = """
            SELECT count(*) AS rows, count(DISTINCT run_id) AS runs, count(DISTINCT (run_id, txid)) AS transactions
              FROM public.w8_rows WHERE run_id = ANY(?)""";
    private static final String LOGGED = """
            SELECT count(*) FILTER (WHERE return_code = 0) AS ok, count(*) AS rows
              FROM jobyard.chain_execution_log WHERE run_id = ANY(?)""";
    private static final String SPANS = """
            SELECT extract(epoch FROM max(finished_at) - min(started_at)) * 1000 AS ms
              FROM jobyard.chain_execution_log WHERE run_id = ANY(?) GROUP BY run_id""";

    @Override
    public String id() {
        return "W8";
    }

    @Override
    public String title() {
        return "Chains: runs/s of a 5-task sql chain, per-task overhead over the same statements sent directly";
    }

    @Override
    public WorkloadResult run(BenchContext context) throws Exception {
        WorkloadResult result = new WorkloadResult(id(), title());
        Map<String, List<Double>> figures = new HashMap<>();
        int runs = context.sizes().w8Runs();
        int workers = Integer.parseInt(Deployment.STANDARD_SETTINGS.get("jobyard.queues.default.concurrency"));
        for (int rep = 1; rep <= context.sizes().reps(); rep++) {
            try (Service service = context.deployment().fresh("w8-" + rep, 1, Map.of("jobyard.commands.sql.enabled", "true"))) {
                ThroughputRun.warmUpThenPause(context, service);
                try (Connection connection = context.database().connect(); Statement s = connection.createStatement()) {
                    s.execute("CREATE TABLE " + TABLE + " (run_id bigint, task int, txid bigint, PRIMARY KEY (run_id, task))");
                }
                String chain = createChain(service);
                chainRuns(context, service, chain, Math.min(runs, MAX_WARMUP_RUNS), "w8-warmup-" + rep);
                Timed timed = chainRuns(context, service, chain, runs, "w8-chain-" + rep);
                JsonObject measured = timed.json();
                check(context, result, rep, timed.ids(), measured);
                JsonObject direct = direct(context, runs, workers, rep, result);
                double chainRate = measured.getDouble("runsPerSecond");
                double directRate = direct.getDouble("transactionsPerSecond");
                double throughputOverhead = (1000.0 / chainRate - 1000.0 / directRate) * workers / TASKS;
                double latencyOverhead = (measured.getDouble("taskSpanP50Ms") - direct.getDouble("statementSpanP50Ms")) / TASKS;
                add(figures, "runsPerSecond", chainRate);
                add(figures, "directPerSecond", directRate);
                add(figures, "overheadThroughput", throughputOverhead);
                add(figures, "overheadLatency", latencyOverhead);
                add(figures, "runP50", measured.getDouble("runDurationP50Ms"));
                result.measurement(new JsonObject().put("rep", rep).put("chain", measured).put("direct", direct)
                        .put("perTaskOverheadThroughputMs", ThroughputRun.round(throughputOverhead))
                        .put("perTaskOverheadLatencyMs", ThroughputRun.round(latencyOverhead)));
            }
        }
        String how = "median of " + context.sizes().reps() + " runs; " + runs + " chain runs, " + TASKS + " sql tasks each";
        result.figure(Figure.info("w8.runsPerSecond", "W8 chain runs/s (5 sql tasks, one transaction)",
                Percentiles.median(figures.get("runsPerSecond")), "runs/s", how));
        result.figure(Figure.info("w8.directPerSecond", "W8 the same 5 statements sent directly, transactions/s ("
                + workers + " connections)", Percentiles.median(figures.get("directPerSecond")), "tx/s", how));
        result.figure(Figure.info("w8.overheadThroughput", "W8 per-task overhead, throughput basis",
                Percentiles.median(figures.get("overheadThroughput")), "ms",
                "(1/(runs/s) - 1/(tx/s)) x " + workers + " workers / " + TASKS + " tasks"));
        result.figure(Figure.info("w8.overheadLatency", "W8 per-task overhead, latency basis",
                Percentiles.median(figures.get("overheadLatency")), "ms",
                "(p50 first task start to last task end, execution log - p50 of the 5 statements direct) / " + TASKS));
        result.figure(Figure.info("w8.runP50", "W8 run duration p50 (claim to archive)",
                Percentiles.median(figures.get("runP50")), "ms", "job_history.duration_ms"));
        result.note("A run opens a connection of its own for the chain transaction, BEGINs, sets jobyard.chain_id,"
                + " jobyard.chain_run_id and txid_current(), then per task reads its parameters (one query), runs it"
                + " between SAVEPOINT and RELEASE, and writes its log row on the pool; the direct transactions reuse"
                + " their connections, so the throughput-basis overhead includes the run's connect and its claim and"
                + " completion by the engine (W1's per-job cost), the latency basis neither.");
        return result;
    }

    private static void add(Map<String, List<Double>> figures, String key, double value) {
        figures.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }

    private static String createChain(Service service) {
        List<Map<String, Object>> tasks = new ArrayList<>();
        for (int i = 1; i <= TASKS; i++) {
            tasks.add(Map.of("name", "t" + i, "command", TASK.formatted(i)));
        }
        return service.api().graphql().execute("mutation($in: ChainInput!) { createChain(input: $in) { id } }",
                Map.of("in", Map.of("name", "w8", "live", false, "tasks", tasks)))
                .getJsonObject("createChain").getString("id");
    }

    private record Timed(JsonObject json, List<Long> ids) {
    }

    /** Creates {@code runs} runs into the paused default queue, resumes it, times them to the end; leaves it paused. */
    private static Timed chainRuns(BenchContext context, Service service, String chain, int runs, String label)
            throws Exception {
        List<Long> ids = new ArrayList<>(runs);
        long enqueueStart = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            ids.add(Long.parseLong(service.api().graphql().execute(RUN, Map.of("id", chain))
                    .getJsonObject("runChain").getString("id")));
        }
        double enqueueMs = (System.nanoTime() - enqueueStart) / 1e6;
        long first = Collections.min(ids);
        long last = Collections.max(ids);
        try (Connection connection = context.database().connect();
                PreparedStatement anyActive = connection.prepareStatement(ANY_ACTIVE)) {
            context.database().checkpoint().ifPresent(Progress::log);
            anyActive.setLong(1, first);
            anyActive.setLong(2, last);
            long deadline = System.nanoTime() + (600_000L + 100L * runs) * 1_000_000L;
            long t0 = System.nanoTime();
            service.api().resumeQueue("default");
            long t1;
            while (true) {
                try (ResultSet rs = anyActive.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        t1 = System.nanoTime();
                        break;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(label + ": chain runs still active after the deadline: "
                            + ExactlyOnce.verify(connection, ids).json().encode());
                }
                Thread.sleep(POLL_MILLIS);
            }
            service.api().pauseQueue("default");
            double seconds = (t1 - t0) / 1e9;
            double[] spans = doubles(connection, SPANS, ids);
            double[] durations = doubles(connection, "SELECT duration_ms FROM jobyard.job_history WHERE id = ANY(?)", ids);
            JsonObject json = new JsonObject().put("label", label).put("runs", runs).put("enqueueMs", ThroughputRun.round(enqueueMs))
                    .put("seconds", ThroughputRun.round(seconds)).put("runsPerSecond", ThroughputRun.round(runs / seconds))
                    .put("taskSpanP50Ms", ThroughputRun.round(Percentiles.of(spans, 50)))
                    .put("runDurationP50Ms", ThroughputRun.round(Percentiles.of(durations, 50)))
                    .put("runDurationP95Ms", ThroughputRun.round(Percentiles.of(durations, 95)));
            Progress.log(label + ": " + json.encode());
            return new Timed(json, ids);
        }
    }

    private static void check(BenchContext context, WorkloadResult result, int rep, List<Long> ids, JsonObject measured)
            throws Exception {
        try (Connection connection = context.database().connect()) {
            ExactlyOnce.Seen seen = ExactlyOnce.verify(connection, ids);
            result.check(seen.check("W8 run " + rep + ": every chain run completed exactly once, at its first attempt"));
            long[] rows = longs(connection, ROWS, ids);
            result.check(new Check("W8 run " + rep + ": each run committed its " + TASKS + " rows once, in one transaction",
                    rows[0] == (long) TASKS * ids.size() && rows[1] == ids.size() && rows[2] == ids.size(),
                    rows[0] + " rows for " + rows[1] + " runs in " + rows[2] + " transactions; expected "
                            + TASKS * ids.size() + " / " + ids.size() + " / " + ids.size()));
            long[] logged = longs(connection, LOGGED, ids);
            result.check(new Check("W8 run " + rep + ": " + TASKS + " successful execution-log rows per run",
                    logged[0] == (long) TASKS * ids.size() && logged[1] == logged[0],
                    logged[0] + " successful of " + logged[1] + " log rows; expected " + TASKS * ids.size()));
            measured.put("verification", seen.json().put("rows", rows[0]).put("logRows", logged[1]));
        }
    }

    /** The same statements from {@code workers} connections, one transaction per run id (negative ids). */
    private static JsonObject direct(BenchContext context, int transactions, int workers, int rep, WorkloadResult result)
            throws Exception {
        AtomicLong next = new AtomicLong();
        List<Double> spans = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        List<Connection> connections = new ArrayList<>();
        try {
            for (int w = 0; w < workers; w++) {
                Connection c = context.database().connect();
                c.setAutoCommit(false);
                connections.add(c);
            }
            List<Future<?>> done = new ArrayList<>();
            long t0 = System.nanoTime();
            for (Connection c : connections) {
                done.add(pool.submit(() -> {
                    try (Statement s = c.createStatement()) {
                        for (long n = next.incrementAndGet(); n <= transactions; n = next.incrementAndGet()) {
                            s.execute("SELECT set_config('jobyard.chain_run_id', '" + (-n) + "', true)");
                            long start = System.nanoTime();
                            for (int i = 1; i <= TASKS; i++) {
                                s.execute(TASK.formatted(i));
                            }
                            spans.add((System.nanoTime() - start) / 1e6);
                            c.commit();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            try (Connection connection = context.database().connect(); Statement s = connection.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM " + TABLE + " WHERE run_id < 0")) {
                rs.next();
                long rows = rs.getLong(1);
                result.check(new Check("W8 run " + rep + ": every direct transaction committed its " + TASKS + " rows",
                        rows == (long) TASKS * transactions, rows + " rows; expected " + TASKS * transactions));
            }
            double[] values = spans.stream().mapToDouble(Double::doubleValue).toArray();
            JsonObject json = new JsonObject().put("transactions", transactions).put("connections", workers)
                    .put("seconds", ThroughputRun.round(seconds))
                    .put("transactionsPerSecond", ThroughputRun.round(transactions / seconds))
                    .put("statementSpanP50Ms", ThroughputRun.round(Percentiles.of(values, 50)));
            Progress.log("w8-direct-" + rep + ": " + json.encode());
            return json;
        } finally {
            pool.shutdownNow();
            for (Connection c : connections) {
                c.close();
            }
        }
    }

    private static double[] doubles(Connection connection, String sql, List<Long> ids) throws Exception {
        List<Double> values = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            s.setArray(1, connection.createArrayOf("bigint", ids.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getDouble(1));
                }
            }
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static long[] longs(Connection connection, String sql, List<Long> ids) throws Exception {
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            s.setArray(1, connection.createArrayOf("bigint", ids.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                long[] out = new long[rs.getMetaData().getColumnCount()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = rs.getLong(i + 1);
                }
                return out;
            }
        }
    }
}
