package dev.jobyard.schedule;

import static dev.jobyard.testing.GraphQLClient.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Await;
import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.Schedules;
import dev.jobyard.testing.SubscriptionClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;

/**
 * A schedule the firer can no longer evaluate (its time zone disappeared, its row was changed by hand) is set
 * aside as BROKEN, with its error in {@code schedule} and in a BROKEN event; the others go on firing.
 */
@QuarkusTest
class BrokenScheduleTest {

    @TestHTTPResource("/graphql")
    URI graphql;

    @AfterEach
    void removeSchedules() {
        Schedules.deleteCreated();
    }

    private static long fired(String id) {
        return Jdbc.<Long>value("SELECT count(*) FROM jobyard.schedule_slot WHERE schedule_id = ? AND outcome = 'FIRED'",
                Long.parseLong(id));
    }

    @Test
    void oneBrokenScheduleAmongFiftyHoldsUpNone() throws Exception {
        List<String> healthy = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            healthy.add(Schedules.create(Map.of("schedule", "@every 1 second")).getString("id"));
        }
        String broken = Schedules.create(Map.of("schedule", "@every 1 second")).getString("id");
        try (SubscriptionClient client = SubscriptionClient.connect(URI.create(graphql.toString().replaceFirst("^http", "ws")))) {
            client.subscribe("1", "subscription($id: ID) { scheduleEvents(scheduleId: $id) { type detail } }",
                    Map.of("id", broken));
            // Live once the schedule's own firing (every second) is reported.
            client.awaitLive(Duration.ofSeconds(60), Duration.ofSeconds(5), () -> broken, (id, data) -> true);

            // The zone disappeared from the time-zone database this replica now runs with.
            Jdbc.update("UPDATE jobyard.schedule SET timezone = 'Mars/Olympus_Mons' WHERE id = ?", Long.parseLong(broken));

            // Slots fired before the change may still report; the next event of another type is the verdict.
            JsonObject event = client.nextData(Duration.ofSeconds(15)).getJsonObject("scheduleEvents");
            while (List.of("FIRED", "COMPLETED", "SKIPPED").contains(event.getString("type"))) {
                event = client.nextData(Duration.ofSeconds(15)).getJsonObject("scheduleEvents");
            }
            assertEquals("BROKEN", event.getString("type"), event.encode());
            assertEquals("timezone: 'Mars/Olympus_Mons' is not an IANA time zone (use a name such as 'Europe/Berlin'"
                    + " or 'America/New_York')", event.getString("detail"));
        }
        JsonPath seen = Schedules.get(broken);
        assertEquals("BROKEN", seen.getString("status"));
        assertEquals("timezone: 'Mars/Olympus_Mons' is not an IANA time zone (use a name such as 'Europe/Berlin'"
                + " or 'America/New_York')", seen.getString("error"));
        assertNull(seen.getString("nextRunAt"));

        long brokenFired = fired(broken);
        Await.until(Duration.ofSeconds(30), () -> healthy.stream().filter(id -> fired(id) < brokenFired + 3).toList(),
                List::isEmpty, "every healthy schedule to fire three more slots than the broken one");
        assertEquals(brokenFired, fired(broken), "the broken schedule fires no more");
    }

    @Test
    void aCorruptRowIsSetAsideAndAnUpdateRepairsIt() {
        String id = Schedules.create(Map.of("schedule", "@every 1 second")).getString("id");
        Jdbc.update("UPDATE jobyard.schedule SET job_payload = '[1, 2]' WHERE id = ?", Long.parseLong(id));

        JsonPath seen = Await.until(Duration.ofSeconds(15), () -> Schedules.get(id), s -> "BROKEN".equals(s.getString("status")),
                "the corrupt schedule to be set aside");
        assertEquals("the stored job payload is not a JSON object", seen.getString("error"));
        assertEquals("CONFLICT", dev.jobyard.testing.GraphQLClient.execute("mutation($id: ID!) { runSchedule(id: $id) { id } }",
                Map.of("id", id)).getString("errors[0].extensions.code"), "a broken schedule is not run by hand");

        JsonPath repaired = ok("mutation($id: ID!) { updateSchedule(id: $id, input: {payload: {fixed: true}}) { status error nextRunAt } }",
                Map.of("id", id)).setRootPath("data.updateSchedule");
        assertEquals("ACTIVE", repaired.getString("status"));
        assertNull(repaired.getString("error"));
        long before = fired(id);
        Await.until(Duration.ofSeconds(15), () -> fired(id), n -> n > before, "the repaired schedule to fire again");
    }
}
