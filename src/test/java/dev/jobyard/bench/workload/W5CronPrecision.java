package dev.jobyard.bench.workload;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.jobyard.bench.BenchContext;
import dev.jobyard.bench.Check;
import dev.jobyard.bench.Figure;
import dev.jobyard.bench.Machine;
import dev.jobyard.bench.Percentiles;
import dev.jobyard.bench.Progress;
import dev.jobyard.bench.Service;
import dev.jobyard.bench.Target;
import dev.jobyard.bench.Workload;
import dev.jobyard.bench.WorkloadResult;
import io.vertx.core.json.JsonObject;

/**
 * W5 cron precision: two replicas, 50 schedules {@code @every 1 second} (created over GraphQL, alternately on
 * each replica) for 60 s, then all paused. From the database (JDBC): fire delay = the slot's job created_at −
 * schedule_slot.slot_at; exactly once = every slot anchor + k s (k ≥ 1) up to a second before the pause has a
 * row, and no schedule has more jobs than fired slots nor one job in two slots.
 */
public final class W5CronPrecision implements Workload {

    private static final String SLOTS = """
            SELECT s.schedule_id, (extract(epoch FROM s.slot_at) * 1000000)::bigint AS slot_us, s.outcome, s.job_id,
                   extract(epoch FROM coalesce(j.created_at, h.created_at) - s.slot_at) * 1000 AS delay_ms
              FROM jobyard.schedule_slot s
              LEFT JOIN jobyard.job j ON j.id = s.job_id
              LEFT JOIN jobyard.job_history h ON h.id = s.job_id
             ORDER BY s.schedule_id, s.slot_at""";
    private static final String ANCHORS = "SELECT id, (extract(epoch FROM anchor_at) * 1000000)::bigint AS anchor_us FROM jobyard.schedule";
    private static final String JOBS_PER_SCHEDULE = """
            SELECT schedule_id, count(*) AS jobs FROM (
                SELECT schedule_id FROM jobyard.job WHERE schedule_id IS NOT NULL
                UNION ALL SELECT schedule_id FROM jobyard.job_history WHERE schedule_id IS NOT NULL) all_jobs
             GROUP BY schedule_id""";
    private static final long SECOND_US = 1_000_000L;

    @Override
    public String id() {
        return "W5";
    }

    @Override
    public String title() {
        return "Cron precision: 50 schedules @every 1 second for 60 s on two replicas";
    }

    @Override
    public WorkloadResult run(BenchContext context) throws Exception {
        WorkloadResult result = new WorkloadResult(id(), title());
        int count = context.sizes().w5Schedules();
        Duration duration = context.sizes().w5Duration();
        try (Service service = context.deployment().fresh("w5", 2, Map.of())) {
            String leader = awaitLeader(service);
            double load1Before = Machine.load1();
            for (int i = 0; i < count; i++) {
                Service.Replica replica = service.replicas().get(i % service.replicas().size());
                replica.api().createSchedule(Map.of("name", "w5-" + i, "schedule", "@every 1 second", "jobKind", "noop",
                        "queue", "default"));
            }
            Progress.log("W5: " + count + " schedules created; leader " + leader + "; running " + duration.toSeconds() + " s");
            Thread.sleep(duration.toMillis());
            service.api().pauseAllSchedules();
            long pausedUs;
            try (Connection connection = context.database().connect()) {
                pausedUs = now(connection);
                String leaderAtEnd = service.api().leader();
                analyse(connection, pausedUs, result, count, duration);
                result.measurements().get(0).put("leaderAtStart", leader).put("leaderAtEnd", leaderAtEnd)
                        .put("load1Before", load1Before).put("load1After", Machine.load1());
            }
        }
        result.note("Slots, their jobs and the jobs' created_at are read from jobyard.schedule_slot, jobyard.job and"
                + " jobyard.job_history with JDBC; both times are the database clock. Slots due in the last second before"
                + " the pause are not required (they may legitimately still be firing).");
        return result;
    }

    private static String awaitLeader(Service service) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            String leader = service.api().leader();
            if (leader != null) {
                return leader;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("W5: no replica became leader within 60 s");
    }

    private static void analyse(Connection connection, long pausedUs, WorkloadResult result, int schedules, Duration duration)
            throws Exception {
        Map<Long, Long> anchors = new HashMap<>();
        Map<Long, Long> jobsPerSchedule = new HashMap<>();
        Map<Long, TreeSet<Long>> slots = new HashMap<>();
        List<Double> delays = new ArrayList<>();
        Set<Long> jobIds = new HashSet<>();
        long fired = 0;
        long skipped = 0;
        long sharedJobs = 0;
        try (Statement s = connection.createStatement()) {
            try (ResultSet rs = s.executeQuery(ANCHORS)) {
                while (rs.next()) {
                    anchors.put(rs.getLong("id"), rs.getLong("anchor_us"));
                }
            }
            try (ResultSet rs = s.executeQuery(JOBS_PER_SCHEDULE)) {
                while (rs.next()) {
                    jobsPerSchedule.put(rs.getLong("schedule_id"), rs.getLong("jobs"));
                }
            }
            try (ResultSet rs = s.executeQuery(SLOTS)) {
                while (rs.next()) {
                    long schedule = rs.getLong("schedule_id");
                    slots.computeIfAbsent(schedule, k -> new TreeSet<>()).add(rs.getLong("slot_us"));
                    if ("FIRED".equals(rs.getString("outcome"))) {
                        fired++;
                        delays.add(rs.getDouble("delay_ms"));
                        if (!jobIds.add(rs.getLong("job_id"))) {
                            sharedJobs++;
                        }
                    } else {
                        skipped++;
                    }
                }
            }
        }
        long missing = 0;
        long offGrid = 0;
        long extraJobs = 0;
        for (Map.Entry<Long, Long> schedule : anchors.entrySet()) {
            long anchor = schedule.getValue();
            TreeSet<Long> seen = slots.getOrDefault(schedule.getKey(), new TreeSet<>());
            for (long slot = anchor + SECOND_US; slot <= pausedUs - SECOND_US; slot += SECOND_US) {
                if (!seen.contains(slot)) {
                    missing++;
                }
            }
            offGrid += seen.stream().filter(slot -> (slot - anchor) % SECOND_US != 0).count();
            long firedHere = seen.size();
            extraJobs += Math.max(0, jobsPerSchedule.getOrDefault(schedule.getKey(), 0L) - firedHere);
        }
        long doubles = sharedJobs + offGrid + extraJobs;
        double[] d = delays.stream().mapToDouble(Double::doubleValue).toArray();
        JsonObject json = new JsonObject().put("schedules", anchors.size()).put("seconds", duration.toSeconds())
                .put("slotsFired", fired).put("slotsSkipped", skipped).put("missing", missing).put("doubles", doubles)
                .put("delayP50Ms", ThroughputRun.round(Percentiles.of(d, 50)))
                .put("delayP95Ms", ThroughputRun.round(Percentiles.of(d, 95)))
                .put("delayP99Ms", ThroughputRun.round(Percentiles.of(d, 99)))
                .put("delayMaxMs", ThroughputRun.round(Percentiles.max(d)));
        result.measurement(json);
        Progress.log("W5: " + json.encode());
        result.check(new Check("W5: every schedule exists", anchors.size() == schedules, anchors.size() + " of " + schedules));
        result.check(new Check("W5: no slot missed", missing == 0, missing + " expected slots without a row, "
                + skipped + " skipped, " + fired + " fired"));
        result.check(new Check("W5: no slot fired twice", doubles == 0, sharedJobs + " jobs in two slots, " + offGrid
                + " slots off the 1 s grid, " + extraJobs + " scheduled jobs beyond the fired slots"));
        result.figure(Figure.info("w5.p50", "W5 fire delay p50", Percentiles.of(d, 50), "ms", fired + " slots"));
        result.figure(Figure.targeted("w5.p95", "W5 fire delay p95", Percentiles.of(d, 95), "ms", Target.atMost(100), fired + " slots"));
        result.figure(Figure.targeted("w5.p99", "W5 fire delay p99", Percentiles.of(d, 99), "ms", Target.atMost(250), fired + " slots"));
        result.figure(Figure.info("w5.max", "W5 fire delay max", Percentiles.max(d), "ms", fired + " slots"));
        result.figure(Figure.targeted("w5.missing", "W5 slots missing", missing, "count", Target.atMost(0), "exactly once"));
        result.figure(Figure.targeted("w5.doubles", "W5 slots fired twice", doubles, "count", Target.atMost(0), "exactly once"));
    }

    private static long now(Connection connection) throws Exception {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
