package dev.jobyard.bench.workload;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.jobyard.bench.BenchContext;
import dev.jobyard.bench.Check;
import dev.jobyard.bench.Figure;
import dev.jobyard.bench.Percentiles;
import dev.jobyard.bench.Progress;
import dev.jobyard.bench.Service;
import dev.jobyard.bench.Target;
import dev.jobyard.bench.Workload;
import dev.jobyard.bench.WorkloadResult;
import io.vertx.core.json.JsonObject;

/**
 * W3 scale: W1 again with a million rows already in job_history and 100,000 pending jobs due in an hour, to
 * show whether the hot path's cost grows with history or with future work. Plain W1 runs alternate with the
 * W3 runs, so the ratio compares runs made under the same conditions. The claim's plan is EXPLAINed on the
 * state at t0 (custom and generic plan), and EXPLAIN ANALYZEd once the ready jobs are gone: the claim that
 * an idle worker's fallback poll or wake-up runs with only future jobs left.
 */
public final class W3Scale implements Workload {

    private static final String FUTURE_UNTOUCHED = """
            SELECT count(*) FILTER (WHERE status = 'PENDING' AND attempt = 0) AS pending,
                   (SELECT count(*) FROM jobyard.job_history WHERE id = ANY(?)) AS archived
              FROM jobyard.job WHERE id = ANY(?)""";

    @Override
    public String id() {
        return "W3";
    }

    @Override
    public String title() {
        return "Scale: W1 with 1,000,000 history rows and 100,000 future jobs";
    }

    @Override
    public WorkloadResult run(BenchContext context) throws Exception {
        WorkloadResult result = new WorkloadResult(id(), title());
        List<Double> plain = new ArrayList<>();
        List<Double> loaded = new ArrayList<>();
        for (int rep = 1; rep <= context.sizes().reps(); rep++) {
            ThroughputRun.Result w1 = W1Throughput.once(context, "w3-plain-w1-" + rep, Map.of(), true);
            result.measurement(w1.json().put("variant", "W1 (plain, alternating)").put("rep", rep));
            result.check(w1.seen().check("W3's plain W1 run " + rep + ": every job ran exactly once"));
            plain.add(w1.jobsPerSecond());
            loaded.add(loadedRun(context, rep, result));
        }
        double w1 = Percentiles.median(plain);
        double w3 = Percentiles.median(loaded);
        result.figure(Figure.info("w3.jobsPerSecond", "W3 jobs/s", w3, "jobs/s", "median of " + loaded.size() + " runs"));
        result.figure(Figure.info("w3.w1JobsPerSecond", "W1 jobs/s in the same session", w1, "jobs/s",
                "median of " + plain.size() + " plain W1 runs alternating with the W3 runs"));
        result.figure(Figure.targeted("w3.ratio", "W3 / W1", w3 / w1, "×", Target.atLeast(0.8),
                "cost must not grow with history or future jobs"));
        result.note("History: " + context.sizes().w3HistoryRows() + " rows inserted with one SQL INSERT … SELECT from"
                + " generate_series (ids 1..n, finished over the last 24 h, 2 % FAILED), then the id sequence moved past"
                + " them. Future jobs: created over GraphQL (createJobs, runAt = now + 1 h, calls of "
                + context.sizes().enqueueBatch() + "). Then VACUUM ANALYZE and CHECKPOINT, then W1 as usual.");
        result.note("Claim plan: the CLAIM text of dev.jobyard.job.JobStore, PREPAREd and EXPLAINed over JDBC with ("
                + ClaimPlan.PARAMETERS + ").");
        return result;
    }

    private double loadedRun(BenchContext context, int rep, WorkloadResult result) throws Exception {
        String label = "w3-" + rep;
        try (Service service = context.deployment().fresh(label, 1, Map.of())) {
            ThroughputRun.warmUpThenPause(context, service);
            long start = System.nanoTime();
            try (Connection connection = context.database().connect()) {
                HistoryPreload.load(connection, context.sizes().w3HistoryRows());
            }
            double historyMs = (System.nanoTime() - start) / 1e6;
            start = System.nanoTime();
            List<Long> future = FutureJobs.create(service.api(), context.sizes().w3FutureJobs(), context.sizes().enqueueBatch());
            double futureMs = (System.nanoTime() - start) / 1e6;
            context.database().vacuumAnalyzeAndCheckpoint().forEach(Progress::log);
            Progress.log(String.format("%s: history preloaded in %.0f ms, %d future jobs created in %.0f ms", label,
                    historyMs, future.size(), futureMs));
            boolean first = rep == 1;
            ThroughputRun.Result run = ThroughputRun.measure(context, service, label,
                    JobInputs.noop(context.sizes().w1Jobs(), context.sizes().enqueueBatch()), (connection, ids) -> {
                        if (first) {
                            plansAtStart(connection, result);
                        }
                    });
            result.measurement(run.json().put("variant", "W3").put("rep", rep).put("historyPreloadMs", Math.round(historyMs))
                    .put("futureJobsCreateMs", Math.round(futureMs)));
            result.check(run.seen().check("W3 run " + rep + ": every job ran exactly once"));
            try (Connection connection = context.database().connect()) {
                result.check(futureUntouched(connection, future, rep));
                if (first) {
                    emptyClaim(connection, context, result);
                }
            }
            return run.jobsPerSecond();
        }
    }

    private static void plansAtStart(Connection connection, WorkloadResult result) throws Exception {
        ClaimPlan.Plan custom = ClaimPlan.explain(connection, false, false);
        ClaimPlan.Plan generic = ClaimPlan.explain(connection, false, true);
        result.text("Claim plan at t0 (custom plan, EXPLAIN)", custom.text());
        result.text("Claim plan at t0 (generic plan, as a cached prepared statement may run it)", generic.text());
        boolean indexOnly = custom.indexOnly() && generic.indexOnly();
        result.check(new Check("W3 claim plan reads job rows through indexes only (no Seq Scan on job tables)", indexOnly,
                "custom: " + custom.scans() + "; generic: " + generic.scans()));
    }

    /** With only future jobs left, what does one claim cost? Every wake-up and fallback poll pays it. */
    private static void emptyClaim(Connection connection, BenchContext context, WorkloadResult result) throws Exception {
        ClaimPlan.Plan plan = ClaimPlan.explain(connection, true, false);
        result.text("Claim with no ready job and " + context.sizes().w3FutureJobs() + " future jobs (EXPLAIN ANALYZE, rolled back)",
                plan.text());
        result.figure(Figure.info("w3.emptyClaimMs", "Claim finding nothing, " + context.sizes().w3FutureJobs()
                + " future jobs queued", plan.executionMs(), "ms", "EXPLAIN ANALYZE execution time, " + plan.buffers()
                + " shared buffers touched"));
    }

    private static Check futureUntouched(Connection connection, List<Long> future, int rep) throws Exception {
        try (PreparedStatement s = connection.prepareStatement(FUTURE_UNTOUCHED)) {
            java.sql.Array ids = connection.createArrayOf("bigint", future.toArray());
            s.setArray(1, ids);
            s.setArray(2, ids);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                long pending = rs.getLong("pending");
                long archived = rs.getLong("archived");
                return new Check("W3 run " + rep + ": no future job started early", pending == future.size() && archived == 0,
                        new JsonObject().put("futureJobs", future.size()).put("stillPendingUnattempted", pending)
                                .put("archived", archived).encode());
            }
        }
    }
}
