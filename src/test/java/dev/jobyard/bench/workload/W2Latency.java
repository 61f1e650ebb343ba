package dev.jobyard.bench.workload;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.jobyard.bench.BenchContext;
import dev.jobyard.bench.Figure;
import dev.jobyard.bench.Machine;
import dev.jobyard.bench.Percentiles;
import dev.jobyard.bench.Progress;
import dev.jobyard.bench.Service;
import dev.jobyard.bench.Spread;
import dev.jobyard.bench.Target;
import dev.jobyard.bench.Workload;
import dev.jobyard.bench.WorkloadResult;
import io.vertx.core.json.JsonObject;

/**
 * W2 start latency: the service idles 3 s, then 500 single {@code createJob} calls go out at 50 per second on a
 * drift-free schedule (call k due at start + k × 20 ms), handed to a 4-thread pool so that a slow call does not
 * delay the next. Latency = the job's started_at (set by the claim, database clock) − the client's timestamp
 * taken just before its call. Both clocks are this machine's system clock.
 */
public final class W2Latency implements Workload {

    private static final String STARTED_AT = """
            SELECT id, (extract(epoch FROM created_at) * 1000000)::bigint AS created_us,
                   (extract(epoch FROM started_at) * 1000000)::bigint AS started_us
              FROM jobyard.job_history WHERE id = ANY(?)""";

    @Override
    public String id() {
        return "W2";
    }

    @Override
    public String title() {
        return "Start latency: single createJob calls at 50/s into an idle service";
    }

    @Override
    public WorkloadResult run(BenchContext context) throws Exception {
        WorkloadResult result = new WorkloadResult(id(), title());
        Map<String, List<Double>> byPercentile = new HashMap<>();
        Map<String, List<Double>> notified = new HashMap<>();
        Map<String, List<Double>> authorised = new HashMap<>();
        Map<String, List<Double>> floor = new HashMap<>();
        List<Double> authRatio = new ArrayList<>();
        String notifiedMissing = null;
        String floorMissing = context.settings().floors() ? null : "floors not run (-Dbench.floors=false)";
        for (int rep = 1; rep <= context.sizes().reps(); rep++) {
            JsonObject run = once(context, rep, result, "engine defaults", Map.of());
            result.measurement(run);
            collect(byPercentile, run, "p50Ms", "p95Ms", "p99Ms", "maxMs", "meanMs");
            // Access control on, every call carrying a JWT that the replica checks: the cost of authentication.
            if (context.settings().runsW2("auth")) {
                JsonObject withAuth = once(context, rep, result, "auth on (JWT)", dev.jobyard.bench.BenchAuth.on());
                result.measurement(withAuth);
                collect(authorised, withAuth, "p50Ms", "p99Ms", "meanMs");
                authRatio.add(withAuth.getDouble("meanMs") / run.getDouble("meanMs"));
            }
            JsonObject viaNotify = null;
            if (notifiedMissing == null && !context.settings().runsW2("notify")) {
                notifiedMissing = "not run (-Dbench.w2-parts without notify)";
            }
            if (notifiedMissing == null) {
                try {
                    viaNotify = once(context, rep, result, "start-on-create off", START_ON_CREATE_OFF);
                    result.measurement(viaNotify);
                    collect(notified, viaNotify, "p50Ms", "p99Ms");
                } catch (UnsupportedOperationException e) {
                    notifiedMissing = e.getMessage();
                }
            }
            // The floor right after this run's measurements, so that each run is held to the floor of its minutes.
            if (floorMissing == null) {
                try {
                    for (JsonObject f : NotifyFloor.run(context, 1)) {
                        result.measurement(f.copy().put("variant", "baseline-notify").put("rep", rep));
                        collectFloor(floor, f, run, viaNotify);
                    }
                } catch (Exception e) {
                    floorMissing = "baseline-notify failed: " + e.getMessage();
                    Progress.log("LISTEN/NOTIFY floor failed: " + e.getMessage());
                }
            }
        }
        String how = "of each run's nearest-rank percentile; ";
        figure(result, "w2.p50", "W2 latency p50", byPercentile.get("p50Ms"), Target.atMost(5), how + "issue 5's absolute target");
        figure(result, "w2.p95", "W2 latency p95", byPercentile.get("p95Ms"), null, how);
        figure(result, "w2.p99", "W2 latency p99", byPercentile.get("p99Ms"), Target.atMost(10), how + "issue 5's absolute target");
        figure(result, "w2.max", "W2 latency max", byPercentile.get("maxMs"), null, how);
        figure(result, "w2auth.p50", "W2 latency p50 with access control on (a JWT checked per call)",
                authorised.getOrDefault("p50Ms", List.of()), null, how + "alternating with the runs above");
        figure(result, "w2auth.p99", "W2 latency p99 with access control on (a JWT checked per call)",
                authorised.getOrDefault("p99Ms", List.of()), null, how + "alternating with the runs above");
        Spread auth = Spread.of(authRatio);
        result.figure(Figure.targeted("w2auth.meanRatio", "W2 mean latency, access control on / off (each run over the run before it)",
                auth.median(), "×", Target.atMost(1.05), auth.text("×") + "; issues 19 and 20: the cost of checking a token stays under 5 %"));
        if (notifiedMissing == null) {
            figure(result, "w2notify.p50", "W2 latency p50 through LISTEN/NOTIFY and a claim (start-on-create off)",
                    notified.get("p50Ms"), null, how + "alternating with the runs above");
            figure(result, "w2notify.p99", "W2 latency p99 through LISTEN/NOTIFY and a claim (start-on-create off)",
                    notified.get("p99Ms"), null, how + "alternating with the runs above");
        } else {
            result.figure(Figure.notMeasured("w2notify.p99", "W2 latency p99 through LISTEN/NOTIFY and a claim", "ms", null,
                    notifiedMissing));
        }
        floorFigures(result, floor, floorMissing, notifiedMissing == null);
        result.note("Each repetition runs W2 with the engine's defaults, with access control on, and with start on create"
                + " off, each on a new database and a newly started replica, then the LISTEN/NOTIFY floor once: every run"
                + " is compared with the floor measured a minute from it.");
        result.note(context.sizes().w2Warmup() + " unmeasured createJob calls (at " + Math.max(WARM_UP_RATE, context.sizes().w2RatePerSecond()) + "/s) warm the freshly started"
                + " service up before its 3 s idle period (the peers' W2 ran in a process W1 had warmed); the measured"
                + " jobs are the " + context.sizes().w2Jobs() + " after it.");
        result.note("Client timestamp: Instant.now() in the pool thread just before the createJob HTTP call. Start: "
                + "job_history.started_at read with JDBC, set to now() by the statement that claims the job, a little before"
                + " the handler runs (the peers timed the handler's first line). Both are this machine's system clock. The"
                + " runs split each latency at the job's created_at (now() of the createJob transaction): the create part"
                + " (client → transaction start) and the start part (created → claimed).");
        result.note("With the engine's defaults an idle service inserts each job already claimed by one of its idle workers"
                + " (jobyard.worker.start-on-create), so created_at = started_at and the start part is 0: no notification"
                + " and no claim are on the path. The runs with it off measure the path every job takes when the creating"
                + " replica has no idle worker for the queue: insert + NOTIFY, LISTEN on a replica, claim.");
        return result;
    }

    private static void collect(Map<String, List<Double>> into, JsonObject run, String... keys) {
        for (String key : keys) {
            into.computeIfAbsent(key, k -> new ArrayList<>()).add(run.getDouble(key));
        }
    }

    /** The floor's own percentiles, and each variant's distance from the floor of its repetition (issue 20's bounds). */
    private static void collectFloor(Map<String, List<Double>> floor, JsonObject f, JsonObject run, JsonObject viaNotify) {
        double p50 = f.getDouble("p50_ms");
        double p99 = f.getDouble("p99_ms");
        floor.computeIfAbsent("p50", k -> new ArrayList<>()).add(p50);
        floor.computeIfAbsent("p95", k -> new ArrayList<>()).add(f.getDouble("p95_ms"));
        floor.computeIfAbsent("p99", k -> new ArrayList<>()).add(p99);
        floor.computeIfAbsent("w2.p50Above", k -> new ArrayList<>()).add(run.getDouble("p50Ms") - p50);
        floor.computeIfAbsent("w2.p99Ratio", k -> new ArrayList<>()).add(run.getDouble("p99Ms") / p99);
        if (viaNotify != null) {
            floor.computeIfAbsent("w2notify.p50Above", k -> new ArrayList<>()).add(viaNotify.getDouble("p50Ms") - p50);
            floor.computeIfAbsent("w2notify.p99Ratio", k -> new ArrayList<>()).add(viaNotify.getDouble("p99Ms") / p99);
        }
    }

    private static void figure(WorkloadResult result, String key, String label, List<Double> runs, Target target, String how) {
        Spread spread = Spread.of(runs);
        result.figure(new Figure(key, label, spread.median(), "ms", target,
                "median " + how + (how.endsWith("; ") ? "" : "; ") + spread.text("ms")));
    }

    private static void floorFigures(WorkloadResult result, Map<String, List<Double>> floor, String missing, boolean notified) {
        if (missing != null) {
            result.note("LISTEN/NOTIFY floor not measured: " + missing);
            result.figure(Figure.notMeasured("w2.p50AboveFloor", "W2 p50 − LISTEN/NOTIFY floor p50", "ms", Target.atMost(1.5), missing));
            result.figure(Figure.notMeasured("w2.p99OverFloor", "W2 p99 / LISTEN/NOTIFY floor p99", "×", Target.atMost(2), missing));
            return;
        }
        for (String p : List.of("p50", "p95", "p99")) {
            Spread spread = Spread.of(floor.get(p));
            result.figure(Figure.info("notify." + p, "LISTEN/NOTIFY floor " + p + " (no library)", spread.median(), "ms",
                    spread.text("ms") + " of ../shared/peers/baseline-notify, one beside each W2 repetition"));
        }
        String each = "each run against the floor measured beside it, median run; ";
        for (String variant : notified ? List.of("w2", "w2notify") : List.of("w2")) {
            String how = variant.equals("w2") ? "start on create" : "through LISTEN/NOTIFY and a claim";
            Spread above = Spread.of(floor.get(variant + ".p50Above"));
            result.figure(Figure.targeted(variant + ".p50AboveFloor", "W2 p50 − floor p50 (" + how + ")", above.median(), "ms",
                    Target.atMost(1.5), each + above.text("ms") + "; issue 20"));
            Spread ratio = Spread.of(floor.get(variant + ".p99Ratio"));
            result.figure(Figure.targeted(variant + ".p99OverFloor", "W2 p99 / floor p99 (" + how + ")", ratio.median(), "×",
                    Target.atMost(2), each + ratio.text("×") + "; issue 20"));
        }
    }

    static final Map<String, String> START_ON_CREATE_OFF = Map.of("jobyard.worker.start-on-create", "false");

    private JsonObject once(BenchContext context, int rep, WorkloadResult result, String label, Map<String, String> settings)
            throws Exception {
        int jobs = context.sizes().w2Jobs();
        String name = settings.isEmpty() ? "w2-" + rep : settings.containsKey("jobyard.auth.enabled") ? "w2-auth-" + rep
                : "w2-notify-" + rep;
        try (Service service = context.deployment().fresh(name, 1, settings)) {
            warmUp(context, service);
            Thread.sleep(context.sizes().w2Idle().toMillis());
            double load1Before = Machine.load1();
            Map<Long, Long> sentMicros = send(service, jobs, context.sizes().w2RatePerSecond());
            List<Long> ids = new ArrayList<>(sentMicros.keySet());
            try (Connection connection = context.database().connect()) {
                awaitArchived(connection, ids, Duration.ofMinutes(2));
                double load1After = Machine.load1();
                Latencies measured = latencies(connection, sentMicros);
                double[] latencies = measured.total();
                ExactlyOnce.Seen seen = ExactlyOnce.verify(connection, ids);
                result.check(seen.check("W2 run " + rep + " (" + label + "): every job ran exactly once"));
                JsonObject run = new JsonObject().put("rep", rep).put("variant", label).put("jobs", jobs)
                        .put("ratePerSecond", context.sizes().w2RatePerSecond())
                        .put("p50Ms", round(Percentiles.of(latencies, 50))).put("p95Ms", round(Percentiles.of(latencies, 95)))
                        .put("p99Ms", round(Percentiles.of(latencies, 99))).put("maxMs", round(Percentiles.max(latencies)))
                        .put("meanMs", round(Percentiles.mean(latencies)))
                        .put("createPartP50Ms", round(Percentiles.of(measured.create(), 50)))
                        .put("createPartP99Ms", round(Percentiles.of(measured.create(), 99)))
                        .put("startPartP50Ms", round(Percentiles.of(measured.start(), 50)))
                        .put("startPartP99Ms", round(Percentiles.of(measured.start(), 99)))
                        .put("load1Before", load1Before)
                        .put("load1After", load1After).put("verification", seen.json());
                Progress.log("W2 run " + rep + " (" + label + "): " + run.encode());
                return run;
            }
        }
    }

    /**
     * The same calls, unmeasured, before the idle period: each measurement runs on a service started a moment
     * ago, whose first requests load and compile the create and claim paths, while the peers' W2 ran in a process
     * that W1 had warmed. Waits until they ran, so that the idle period starts idle.
     */
    private static final int WARM_UP_RATE = 400;

    private static void warmUp(BenchContext context, Service service) throws Exception {
        int jobs = context.sizes().w2Warmup();
        if (jobs == 0) {
            return;
        }
        // Faster than the measured rate: the JIT needs thousands of calls, not a minute of them.
        List<Long> ids = new ArrayList<>(send(service, jobs, Math.max(WARM_UP_RATE, context.sizes().w2RatePerSecond())).keySet());
        try (Connection connection = context.database().connect()) {
            awaitArchived(connection, ids, Duration.ofMinutes(1));
        }
    }

    /** Fires the calls on a drift-free schedule; returns each new job's id with its client timestamp (µs since epoch). */
    private static Map<Long, Long> send(Service service, int jobs, int ratePerSecond) throws Exception {
        Map<Long, Long> sent = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> calls = new ArrayList<>();
            long intervalNanos = 1_000_000_000L / ratePerSecond;
            long start = System.nanoTime() + 50_000_000L;
            for (int k = 0; k < jobs; k++) {
                long due = start + k * intervalNanos;
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                int index = k;
                calls.add(pool.submit(() -> {
                    Instant now = Instant.now();
                    long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
                    long id = service.api().createJob(Map.of("kind", "noop", "payload", Map.of("i", index)));
                    sent.put(id, micros);
                }));
            }
            for (Future<?> call : calls) {
                call.get();
            }
        } finally {
            pool.shutdown();
            pool.awaitTermination(30, TimeUnit.SECONDS);
        }
        return sent;
    }

    private static void awaitArchived(Connection connection, List<Long> ids, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM jobyard.job_history WHERE id = ANY(?)")) {
            count.setArray(1, connection.createArrayOf("bigint", ids.toArray()));
            while (true) {
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) >= ids.size()) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("W2: not every job was archived within " + timeout);
                }
                Thread.sleep(50);
            }
        }
    }

    /** Per job: total (started − sent), the create part (created_at − sent) and the start part (started − created_at). */
    private record Latencies(double[] total, double[] create, double[] start) {
    }

    private static Latencies latencies(Connection connection, Map<Long, Long> sentMicros) throws Exception {
        List<double[]> rows = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(STARTED_AT)) {
            s.setArray(1, connection.createArrayOf("bigint", sentMicros.keySet().toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    long sent = sentMicros.get(rs.getLong("id"));
                    long created = rs.getLong("created_us");
                    long started = rs.getLong("started_us");
                    rows.add(new double[] {(started - sent) / 1000.0, (created - sent) / 1000.0, (started - created) / 1000.0});
                }
            }
        }
        return new Latencies(rows.stream().mapToDouble(r -> r[0]).toArray(), rows.stream().mapToDouble(r -> r[1]).toArray(),
                rows.stream().mapToDouble(r -> r[2]).toArray());
    }

    private static double round(double value) {
        return Math.round(value * 100.0) / 100.0;
    }
}
