package dev.jobyard.bench.workload;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;

import dev.jobyard.bench.BenchContext;
import dev.jobyard.bench.Figure;
import dev.jobyard.bench.Machine;
import dev.jobyard.bench.Progress;
import dev.jobyard.bench.Service;
import dev.jobyard.bench.Target;
import dev.jobyard.bench.Workload;
import dev.jobyard.bench.WorkloadResult;
import io.vertx.core.json.JsonObject;

/**
 * W6 resources of one replica started with the tool's JVM options (-Xmx256m): its resident memory (VmRSS of
 * /proc/&lt;pid&gt;/status) when idle and at the end of a W1 run, and what it sends to PostgreSQL per second
 * while idle, with no jobs and with 100,000 jobs due in an hour.
 */
public final class W6Resources implements Workload {

    @Override
    public String id() {
        return "W6";
    }

    @Override
    public String title() {
        return "Resources: memory idle and after W1, database statements while idle";
    }

    @Override
    public WorkloadResult run(BenchContext context) throws Exception {
        WorkloadResult result = new WorkloadResult(id(), title());
        StatementCounter counter = StatementCounter.open(context.database());
        Duration window = context.sizes().w6Window();
        int futureJobs = context.sizes().w6FutureJobs();
        // Lets start-up work (first heartbeats, leadership, queue discovery) and the future jobs' insert finish
        // before "idle" is measured.
        Duration settle = context.sizes().w6Settle();
        JsonObject idle = new JsonObject().put("window", window.toSeconds() + " s").put("counter", counter.source());
        try (Service service = context.deployment().fresh("w6-idle", 1, Map.of())) {
            Thread.sleep(settle.toMillis());
            double empty = perSecond(counter, window);
            OptionalLong rssIdle = rss(service);
            FutureJobs.create(service.api(), futureJobs, context.sizes().enqueueBatch());
            Thread.sleep(settle.toMillis());
            double withFuture = perSecond(counter, window);
            OptionalLong rssWithFuture = rss(service);
            idle.put("perSecondNoJobs", ThroughputRun.round(empty)).put("perSecondWithFutureJobs", ThroughputRun.round(withFuture))
                    .put("futureJobs", futureJobs);
            rssIdle.ifPresent(kb -> idle.put("rssIdleKb", kb));
            rssWithFuture.ifPresent(kb -> idle.put("rssIdleWithFutureJobsKb", kb));
            result.measurement(idle);
            Progress.log("W6 idle: " + idle.encode());
            String unit = counter.unit();
            result.figure(Figure.targeted("w6.idleStatements", "W6 idle, no jobs (" + service.replicas().size() + " replica)",
                    empty, unit, Target.atMost(2), counter.source()));
            result.figure(Figure.targeted("w6.idleStatementsFuture", "W6 idle, " + futureJobs + " future jobs", withFuture,
                    unit, Target.atMost(2), counter.source()));
            figureRss(result, "w6.rssIdle", "W6 RSS idle (no jobs, after " + (settle.plus(window)).toSeconds() + " s)", rssIdle,
                    200, "VmRSS of /proc/<pid>/status");
            figureRss(result, "w6.rssIdleFuture", "W6 RSS idle with " + futureJobs + " future jobs", rssWithFuture, -1,
                    "VmRSS of /proc/<pid>/status");
        }
        ThroughputRun.Result w1 = W1Throughput.once(context, "w6-w1", Map.of(), true);
        result.measurement(w1.json().put("variant", "W1 for end-of-W1 RSS"));
        result.check(w1.seen().check("W6's W1 run: every job ran exactly once"));
        figureRss(result, "w6.rssEndOfW1", "W6 RSS at the end of W1", w1.rssEndKb(), 320,
                "VmRSS read right at t1 of a W1 run (" + Math.round(w1.jobsPerSecond()) + " jobs/s)");
        result.note("Service JVM: " + String.join(" ", context.settings().serviceJvm()) + ". Statement rate: "
                + counter.source() + ", difference of two readings " + window.toSeconds() + " s apart, after "
                + settle.toSeconds() + " s of settling.");
        return result;
    }

    private static double perSecond(StatementCounter counter, Duration window) throws Exception {
        long before = counter.read();
        long start = System.nanoTime();
        Thread.sleep(window.toMillis());
        long after = counter.read();
        return (after - before) / ((System.nanoTime() - start) / 1e9);
    }

    private static OptionalLong rss(Service service) {
        return service.first().pid().isPresent() ? Machine.rssKb(service.first().pid().getAsLong()) : OptionalLong.empty();
    }

    private static void figureRss(WorkloadResult result, String key, String label, OptionalLong kb, int targetMb, String note) {
        Target target = targetMb < 0 ? null : Target.atMost(targetMb);
        if (kb.isEmpty()) {
            result.figure(Figure.notMeasured(key, label, "MB", target, "no process id: start the service with the tool, or pass -Dbench.pid"));
        } else {
            result.figure(new Figure(key, label, kb.getAsLong() / 1024.0, "MB", target, note));
        }
    }
}
