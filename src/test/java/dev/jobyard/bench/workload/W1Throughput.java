package dev.jobyard.bench.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.jobyard.bench.BenchContext;
import dev.jobyard.bench.EngineDefaults;
import dev.jobyard.bench.Figure;
import dev.jobyard.bench.Percentiles;
import dev.jobyard.bench.Progress;
import dev.jobyard.bench.Service;
import dev.jobyard.bench.Target;
import dev.jobyard.bench.Workload;
import dev.jobyard.bench.WorkloadResult;

/**
 * W1 throughput: 20,000 noop jobs created while the default queue is paused (4 createJobs calls of 5,000),
 * then resumed with concurrency 16; jobs/s = 20,000 / (t1 − t0). Measured with the engine's batching and with
 * batching turned off (claim 1, complete 1) in alternation, so that load from elsewhere hits both alike, and
 * beside the pgbench floor of the peers, whose ratio to W1 is the figure that travels between machines.
 */
public final class W1Throughput implements Workload {

    static final Map<String, String> BATCHING_OFF = Map.of("jobyard.worker.claim-batch-size", "1",
            "jobyard.worker.complete-batch-size", "1", "jobyard.worker.release-batch-size", "1");
    /** Issue 5: 12,000 jobs/s, where the 100-per-claim pgbench floor did 17,376: the target as a share of the floor. */
    static final double SHARE_OF_FLOOR = 12_000.0 / 17_376.0;

    @Override
    public String id() {
        return "W1";
    }

    @Override
    public String title() {
        return "Throughput: noop jobs, bulk-created into a paused queue, then run with concurrency 16";
    }

    @Override
    public WorkloadResult run(BenchContext context) throws Exception {
        WorkloadResult result = new WorkloadResult(id(), title());
        List<Double> batched = new ArrayList<>();
        List<Double> off = new ArrayList<>();
        List<Double> authorised = new ArrayList<>();
        List<Double> enqueue = new ArrayList<>();
        String offMissing = null;
        for (int rep = 1; rep <= context.sizes().reps(); rep++) {
            ThroughputRun.Result run = once(context, "w1-batched-" + rep, Map.of());
            record(result, run, "batched", rep);
            batched.add(run.jobsPerSecond());
            enqueue.add(run.enqueueMs());
            // Access control on: the createJobs, pauseQueue and resumeQueue calls carry a JWT the replica checks.
            ThroughputRun.Result withAuth = once(context, "w1-auth-" + rep, dev.jobyard.bench.BenchAuth.on());
            record(result, withAuth, "auth on (JWT)", rep);
            authorised.add(withAuth.jobsPerSecond());
            if (offMissing == null) {
                try {
                    ThroughputRun.Result slow = once(context, "w1-batching-off-" + rep, BATCHING_OFF);
                    record(result, slow, "batching off", rep);
                    off.add(slow.jobsPerSecond());
                } catch (UnsupportedOperationException e) {
                    offMissing = e.getMessage();
                }
            }
        }
        double w1 = Percentiles.median(batched);
        double w1Off = Percentiles.median(off);
        int jobs = context.sizes().w1Jobs();
        String reps = "median of " + batched.size() + " runs";
        result.figure(Figure.targeted("w1.jobsPerSecond", "W1 jobs/s (engine defaults: claim batch "
                + EngineDefaults.claimBatchSize() + ", complete batch " + EngineDefaults.completeBatchSize() + ")", w1,
                "jobs/s", Target.atLeast(12_000), reps + "; issue 5's absolute target, set for the reference machine"));
        result.figure(Figure.info("w1.enqueueMs", "W1 enqueue of " + jobs + " jobs (createJobs × "
                + (jobs + context.sizes().enqueueBatch() - 1) / context.sizes().enqueueBatch() + ")",
                Percentiles.median(enqueue), "ms", reps + "; not part of jobs/s"));
        if (offMissing == null) {
            result.figure(Figure.info("w1off.jobsPerSecond", "W1 jobs/s with batching off (claim 1, complete 1)", w1Off,
                    "jobs/s", "median of " + off.size() + " runs, alternating with the batched ones"));
            result.figure(Figure.targeted("w1.vsBatchingOff", "W1 batched / batching off", w1 / w1Off, "×",
                    Target.atLeast(4), "same service, same run"));
        } else {
            result.figure(Figure.notMeasured("w1off.jobsPerSecond", "W1 jobs/s with batching off", "jobs/s", null, offMissing));
            result.figure(Figure.notMeasured("w1.vsBatchingOff", "W1 batched / batching off", "×", Target.atLeast(4), offMissing));
        }
        result.figure(Figure.info("w1auth.jobsPerSecond", "W1 jobs/s with access control on (JWT per call)",
                Percentiles.median(authorised), "jobs/s", "median of " + authorised.size() + " runs, alternating with the others"));
        result.figure(Figure.info("w1auth.ratio", "W1 jobs/s, access control on / off", Percentiles.median(authorised) / w1, "×",
                "issue 19: at least 0.95 (the cost of checking a token under 5 %)"));
        floors(context, result, w1);
        result.note("Jobs are created over GraphQL (createJobs) while the default queue is paused; t0 is taken just before"
                + " the resumeQueue call, t1 at the first 10 ms JDBC poll that finds none of the created ids left in"
                + " jobyard.job (a job leaves it in the transaction that archives it); then job_history is checked with"
                + " JDBC: every job COMPLETED with attempt = 1, none active.");
        result.note("Each run starts on a freshly created database and a freshly started service (VACUUM ANALYZE and"
                + " CHECKPOINT before, CHECKPOINT again after enqueueing, as the peers did). Before the measured enqueue, "
                + context.sizes().throughputWarmup() + " unmeasured noop jobs go through the same procedure (created"
                + " into the paused queue in calls of " + context.sizes().enqueueBatch() + ", resumed, run to the end, in"
                + " rounds of " + context.sizes().w1Jobs() + ") to warm the new JVM up (W1, W3, W4 and W6's W1 alike);"
                + " the peers' JVM repetitions 2 and 3 ran in a JVM that whole earlier repetitions had warmed. Their rows stay in job_history; the checks look at the"
                + " measured ids only.");
        return result;
    }

    static ThroughputRun.Result once(BenchContext context, String label, Map<String, String> settings) throws Exception {
        try (Service service = context.deployment().fresh(label, 1, settings)) {
            ThroughputRun.warmUpThenPause(context, service);
            return ThroughputRun.measure(context, service, label,
                    JobInputs.noop(context.sizes().w1Jobs(), context.sizes().enqueueBatch()), (connection, ids) -> {
                    });
        }
    }

    private static void record(WorkloadResult result, ThroughputRun.Result run, String variant, int rep) {
        result.measurement(run.json().put("variant", variant).put("rep", rep));
        result.check(run.seen().check("W1 " + variant + " run " + rep + ": every job ran exactly once"));
    }

    /** The pgbench floor beside W1, and W1 as a share of it (the target, and the stretch goal of beating it). */
    private static void floors(BenchContext context, WorkloadResult result, double w1) {
        String missing = null;
        Map<String, PgbenchFloor.Variant> floor = Map.of();
        if (!context.settings().floors()) {
            missing = "floors not run (-Dbench.floors=false)";
        } else {
            try {
                floor = PgbenchFloor.run(context);
                floor.values().forEach(v -> v.runs().forEach(r -> result.measurement(r.copy().put("variant", "pgbench " + v.name()))));
            } catch (Exception e) {
                missing = "pgbench floor failed: " + e.getMessage();
                Progress.log(missing);
            }
        }
        for (PgbenchFloor.Variant variant : floor.values()) {
            result.figure(Figure.info("pgbench." + variant.name(), "pgbench floor " + variant.name() + " (no library)",
                    variant.medianJobsPerSecond(), "jobs/s", "median of " + variant.runs().size() + " runs of "
                            + "../shared/peers/baseline-pgbench/run.sh, measured in this run"));
        }
        PgbenchFloor.Variant batch100 = floor.get("batch100");
        if (batch100 == null) {
            String why = missing != null ? missing : "batch100 not among -Dbench.pgbench-variants";
            result.figure(Figure.notMeasured("w1.shareOfPgbench", "W1 / pgbench batch100", "×", Target.atLeast(SHARE_OF_FLOOR), why));
            return;
        }
        double share = w1 / batch100.medianJobsPerSecond();
        result.figure(Figure.targeted("w1.shareOfPgbench", "W1 / pgbench batch100", share, "×", Target.atLeast(SHARE_OF_FLOOR),
                "issue 5's 12,000 jobs/s as a share of the 17,376 the floor did when the peers were measured"));
        result.figure(Figure.targeted("w1.beatsPgbench", "W1 / pgbench batch100 (stretch goal: beat it)", share, "×",
                Target.atLeast(1), "stretch goal of issue 5"));
        PgbenchFloor.Variant archive = floor.get("archive100");
        if (archive != null) {
            result.figure(Figure.info("w1.shareOfArchive100", "W1 / pgbench archive100 (claim 100, archive to history)",
                    w1 / archive.medianJobsPerSecond(), "×", "archive100 does what Jobyard's completer does: DELETE … RETURNING into history"));
        }
    }
}
