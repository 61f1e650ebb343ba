package dev.jobyard.schedule;

import static dev.jobyard.testing.GraphQLClient.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Schedules;
import dev.jobyard.testing.SubscriptionClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/** scheduleEvents reports a schedule's whole life over a real WebSocket. */
@QuarkusTest
class ScheduleEventsSubscriptionTest {

    @TestHTTPResource("/graphql")
    URI graphql;

    @Test
    void createFireCompletePauseResumeDelete() throws Exception {
        try (SubscriptionClient client = SubscriptionClient.connect(URI.create(graphql.toString().replaceFirst("^http", "ws")))) {
            client.subscribe("1", "subscription { scheduleEvents { scheduleId scheduleName type jobId at detail } }", Map.of());
            client.awaitLiveScheduleEvents(); // the events read meanwhile are the probes'

            String id = Schedules.create(Map.of()).getString("id");
            ok("mutation($id: ID!) { runSchedule(id: $id) { id } }", Map.of("id", id));
            List<String> types = new ArrayList<>();
            while (!types.contains("COMPLETED")) {
                types.addAll(mine(client, id, 1));
            }
            Schedules.pause(id);
            ok("mutation($id: ID) { resumeSchedule(id: $id) { id } }", Map.of("id", id));
            Schedules.delete(id);
            while (!types.contains("DELETED")) {
                types.addAll(mine(client, id, 1));
            }

            assertEquals(List.of("CREATED", "FIRED", "COMPLETED", "PAUSED", "RESUMED", "DELETED"), types);
        }
    }

    /** The types of the next {@code n} events, keeping only those of schedule {@code id}. */
    private static List<String> mine(SubscriptionClient client, String id, int n) throws InterruptedException {
        List<String> types = new ArrayList<>();
        while (types.size() < n) {
            JsonObject event = client.nextData(Duration.ofSeconds(10)).getJsonObject("scheduleEvents");
            if (id.equals(event.getString("scheduleId"))) {
                types.add(event.getString("type"));
            }
        }
        return types;
    }
}
