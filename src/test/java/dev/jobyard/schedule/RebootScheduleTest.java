package dev.jobyard.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.jobyard.database.Sql;
import dev.jobyard.testing.Await;
import dev.jobyard.testing.Schedules;
import io.quarkus.test.junit.QuarkusTest;

/** An @reboot schedule fires once each time a replica becomes the leader. */
@QuarkusTest
class RebootScheduleTest {

    @Inject
    Sql sql;

    @AfterEach
    void removeSchedules() {
        Schedules.deleteCreated();
    }

    @Test
    void itFiresWhenLeadershipChangesHands() {
        var s = Schedules.create(Map.of("schedule", "@reboot"));
        String id = s.getString("id");
        assertEquals("REBOOT", s.getString("kind"));
        assertNull(s.getString("nextRunAt"));
        assertEquals(List.of(), Schedules.runs(id).getList("nodes"), "nothing fires until a leader starts");

        // A leader elsewhere whose lease ran out: this replica takes over with a new fencing token.
        sql.query("UPDATE jobyard.leader_lease SET node_id = 'a-replica-that-died', expires_at = now() - interval '1 second'");

        List<Object> runs = Await.until(Duration.ofSeconds(10), () -> Schedules.runs(id).getList("nodes"),
                r -> !r.isEmpty(), "the @reboot schedule to fire on the new leader");
        assertEquals(1, runs.size());
    }
}
