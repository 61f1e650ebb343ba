package dev.jobyard.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.jobyard.testing.Await;
import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.JobyardCluster;
import dev.jobyard.testing.ReplicaProcess;
import dev.jobyard.testing.ScheduleSlots;

/**
 * Two real replicas on one database and an @every 1 second schedule: every slot fires exactly once,
 * also across a kill -9 of the leader and the other replica's takeover.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ScheduleFiresOnceAcrossReplicasIT {

    @RegisterExtension
    final JobyardCluster cluster = JobyardCluster.builder("cron").replicas(2)
            .with("jobyard.leader.lease-time", "3s")
            .with("jobyard.leader.renew-interval", "1s")
            .with("jobyard.heartbeat-interval", "1s")
            .build();

    @Test
    void everySlotFiresOnceThroughALeaderCrash() {
        cluster.start();
        ReplicaProcess first = cluster.replicas().get(0);
        String queue = cluster.unique("cron");
        String name = cluster.unique("every-second");
        String id = first.graphql("mutation($in: ScheduleInput!) { createSchedule(input: $in) { id } }",
                Map.of("in", Map.of("name", name, "schedule", "@every 1 second", "jobKind", "noop", "queue", queue)))
                .getString("createSchedule.id");
        long scheduleId = Long.parseLong(id);
        try {
            String leaderId = Await.until(Duration.ofSeconds(30), () -> leader(first),
                    l -> l != null && cluster.nodeIds().contains(l), "one of this test's replicas to lead");
            Await.until(Duration.ofSeconds(20), () -> ScheduleSlots.fired(scheduleId), n -> n >= 3, "a few slots before the crash");

            ReplicaProcess leader = cluster.replica(leaderId);
            ReplicaProcess survivor = cluster.others(leader).get(0);
            leader.kill9();

            Await.until(Duration.ofSeconds(20), () -> leader(survivor), survivor.nodeId()::equals, "the survivor to lead");
            long atTakeover = ScheduleSlots.fired(scheduleId);
            Await.until(Duration.ofSeconds(20), () -> ScheduleSlots.fired(scheduleId), n -> n >= atTakeover + 3, "slots after the takeover");
            survivor.graphql("mutation($id: ID) { pauseSchedule(id: $id) { id } }", Map.of("id", id));

            List<Map<String, Object>> slots = Jdbc.rows("SELECT slot_at, job_id FROM jobyard.schedule_slot"
                    + " WHERE schedule_id = ? AND outcome = 'FIRED' ORDER BY slot_at", scheduleId);
            for (int i = 1; i < slots.size(); i++) {
                OffsetDateTime previous = ScheduleSlots.slotAt(slots.get(i - 1));
                OffsetDateTime current = ScheduleSlots.slotAt(slots.get(i));
                assertEquals(Duration.ofSeconds(1), Duration.between(previous, current),
                        "slots must follow each other a second apart, none missed: " + previous + " then " + current);
            }
            long jobs = Jdbc.<Long>value("SELECT (SELECT count(*) FROM jobyard.job WHERE schedule_id = ?)"
                    + " + (SELECT count(*) FROM jobyard.job_history WHERE schedule_id = ?)", scheduleId, scheduleId);
            assertEquals(slots.size(), jobs, "exactly one job per slot");
            long distinctJobs = slots.stream().map(s -> s.get("job_id")).distinct().count();
            assertEquals(slots.size(), distinctJobs);
            assertTrue(slots.size() >= 6);
        } finally {
            Jdbc.update("DELETE FROM jobyard.schedule WHERE id = ?", scheduleId);
        }
    }



    private static String leader(ReplicaProcess replica) {
        return replica.graphql("{ leader { nodeId } }").getString("leader.nodeId");
    }
}
