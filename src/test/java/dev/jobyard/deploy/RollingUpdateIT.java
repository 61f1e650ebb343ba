package dev.jobyard.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.jobyard.testing.Await;
import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.JobStream;
import dev.jobyard.testing.JobyardCluster;
import dev.jobyard.testing.ReplicaProcess;
import dev.jobyard.testing.ScheduleSlots;

/**
 * A rolling update rehearsed with real processes, as the Deployment in k8s/ performs it (maxSurge 1, maxUnavailable
 * 0): three replicas serve a steady stream of jobs and an {@code @every 1 second} schedule; one at a time, a new
 * replica starts and becomes ready, then an old one is taken out of the client's rotation and gets SIGTERM. Nothing
 * is lost, nothing runs twice, and no schedule slot is missed or fired twice, across three changes of leader at most.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class RollingUpdateIT {

    private static final Duration GRACE = Duration.ofSeconds(5);

    @RegisterExtension
    final JobyardCluster cluster = JobyardCluster.builder("roll").replicas(3)
            .with("jobyard.shutdown.grace-period", GRACE.toSeconds() + "s")
            .with("quarkus.shutdown.timeout", "20s")
            .with("jobyard.leader.lease-time", "3s")
            .with("jobyard.leader.renew-interval", "1s")
            .with("jobyard.heartbeat-interval", "1s")
            // Four replicas at once during each surge: keep them well inside a default max_connections of 100.
            .with("quarkus.datasource.reactive.max-size", "6")
            .build();

    @Test
    void replacingEveryReplicaLosesNothingRunsNothingTwiceAndMissesNoSlot() {
        // given three replicas, an @every 1 second schedule and a client creating jobs steadily
        List<ReplicaProcess> originals = cluster.start();
        String queue = cluster.unique("roll");
        long scheduleId = Long.parseLong(originals.get(0).graphql(
                "mutation($in: ScheduleInput!) { createSchedule(input: $in) { id } }",
                Map.of("in", Map.of("name", cluster.unique("tick"), "schedule", "@every 1 second", "jobKind", "log",
                        "queue", queue, "payload", Map.of("message", "tick")))).getString("createSchedule.id"));
        try {
            List<Long> jobs;
            try (JobStream stream = JobStream.into(queue).through(originals).start()) {
                Await.until(Duration.ofSeconds(30), () -> ScheduleSlots.fired(scheduleId), n -> n >= 3, "the schedule to fire");

                // when each original replica is replaced, one at a time
                for (ReplicaProcess old : originals) {
                    int before = stream.progress().created();
                    stream.serveFrom(cluster.startAnother());
                    stream.stopServingFrom(old);
                    old.sigterm();
                    int exit = old.waitExit(GRACE.plusSeconds(40));
                    assertTrue(exit == 0 || exit == 143, old + " exit code " + exit);
                    assertEquals(List.of(), old.logLinesContaining(" ERROR "), () -> "errors in the log of " + old);
                    Await.until(Duration.ofSeconds(30), stream::progress, p -> p.created() >= before + 20,
                            "jobs to keep coming through the replacement of " + old);
                }
                long afterRollout = ScheduleSlots.fired(scheduleId);
                Await.until(Duration.ofSeconds(20), () -> ScheduleSlots.fired(scheduleId), n -> n >= afterRollout + 3,
                        "slots fired by the new replicas");
                jobs = stream.stop();
            }
            ReplicaProcess survivor = cluster.replicas().get(cluster.replicas().size() - 1);
            survivor.graphql("mutation($id: ID) { pauseSchedule(id: $id) { id } }", Map.of("id", scheduleId));

            // then every job the client created completed once, at its first attempt
            List<Long> scheduled = Jdbc.rows("SELECT job_id FROM jobyard.schedule_slot WHERE schedule_id = ?",
                    scheduleId).stream().map(row -> (Long) row.get("job_id")).toList();
            ranOnceEach(jobs);
            // and every slot from the first to the last fired once, a second after the one before
            List<Map<String, Object>> slots = Jdbc.rows("SELECT slot_at, outcome, job_id FROM jobyard.schedule_slot"
                    + " WHERE schedule_id = ? ORDER BY slot_at", scheduleId);
            for (int i = 0; i < slots.size(); i++) {
                assertEquals("FIRED", slots.get(i).get("outcome"), () -> "slots " + slots);
                if (i > 0) {
                    assertEquals(Duration.ofSeconds(1),
                            Duration.between(ScheduleSlots.slotAt(slots.get(i - 1)), ScheduleSlots.slotAt(slots.get(i))),
                            "consecutive slots " + slots.get(i - 1) + " and " + slots.get(i));
                }
            }
            assertEquals(slots.size(), scheduled.stream().distinct().count(), "one job per slot");
            ranOnceEach(scheduled);
            assertEquals(slots.size(), (long) Jdbc.<Long>value("SELECT (SELECT count(*) FROM jobyard.job WHERE"
                    + " schedule_id = ?) + (SELECT count(*) FROM jobyard.job_history WHERE schedule_id = ?)",
                    scheduleId, scheduleId), "no job of the schedule without its slot");
        } finally {
            Jdbc.update("DELETE FROM jobyard.schedule WHERE id = ?", scheduleId);
        }
    }

    /** Each job archived as COMPLETED at attempt 1, with exactly one log line: its handler ran once. */
    private static void ranOnceEach(List<Long> ids) {
        Await.until(Duration.ofSeconds(60),
                () -> (Long) Jdbc.value("SELECT count(*) FROM jobyard.job_history WHERE id = ANY(?)", ids),
                archived -> archived == ids.size(), ids.size() + " jobs to be archived");
        assertEquals(List.of(), Jdbc.rows("""
                SELECT id, status, attempt, worker, errors FROM jobyard.job_history
                 WHERE id = ANY(?) AND (status <> 'COMPLETED' OR attempt <> 1 OR errors <> '[]')""", ids));
        assertEquals(List.of(), Jdbc.rows("""
                SELECT j.id, count(l.id) AS runs FROM unnest(?::bigint[]) AS j(id)
                  LEFT JOIN jobyard.job_log l ON l.job_id = j.id
                 GROUP BY j.id HAVING count(l.id) <> 1 OR bool_or(l.attempt <> 1)""", ids));
    }
}
