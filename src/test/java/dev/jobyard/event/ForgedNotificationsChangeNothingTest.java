package dev.jobyard.event;

import static dev.jobyard.testing.GraphQLClient.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.Jobs;
import dev.jobyard.testing.SubscriptionClient;
import dev.jobyard.testing.TestDatabase;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * Any database role can NOTIFY on Jobyard's channels. A restricted role (one that may do nothing else)
 * that forges engine messages changes nothing: a cancel is acted on only when the job's row asks for it,
 * and subscribers see only events that agree with the table.
 */
@QuarkusTest
class ForgedNotificationsChangeNothingTest {

    private static final String FORGER = "jobyard_results_forger";
    private static final String SUBSCRIPTION = "subscription($q: String) { jobEvents(queue: $q) { jobId status error } }";
    private static final String CANCEL = "mutation($id: ID!) { cancelJob(id: $id, reason: \"real\") { id } }";

    @TestHTTPResource("/graphql")
    URI graphql;

    @BeforeAll
    static void createForger() {
        Jdbc.update("DROP ROLE IF EXISTS " + FORGER);
        Jdbc.update("CREATE ROLE " + FORGER + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE");
    }

    @AfterAll
    static void dropForger() {
        Jdbc.update("DROP ROLE IF EXISTS " + FORGER);
    }

    @Test
    void aForgedCancelDoesNotStopARunningJob() throws Exception {
        String queue = Jobs.uniqueQueue();
        String target = Jobs.create(Map.of("kind", "sleep", "queue", queue, "payload", Map.of("ms", 60_000)));
        String control = Jobs.create(Map.of("kind", "sleep", "queue", queue, "payload", Map.of("ms", 60_000)));
        Jobs.awaitStatus(target, "RUNNING");
        Jobs.awaitStatus(control, "RUNNING");

        // When the restricted role sends the cancel message the engine sends, then a real cancel follows for another job,
        forge(EventChannel.NAME, new JsonObject().put("type", "cancel").put("id", Long.parseLong(target)).put("reason", "forged"));
        ok(CANCEL, Map.of("id", control));
        Jobs.awaitStatus(control, "CANCELLED");

        // then the job the forger named still runs: its row never asked for a cancel.
        assertEquals("RUNNING", Jobs.status(target));
        ok(CANCEL, Map.of("id", target));
        Jobs.awaitStatus(target, "CANCELLED");
    }

    @Test
    void subscribersDoNotSeeForgedEvents() throws Exception {
        String queue = Jobs.uniqueQueue();
        String completed = Jobs.create(Map.of("kind", "noop", "queue", queue));
        Jobs.awaitStatus(completed, "COMPLETED");
        try (SubscriptionClient client = SubscriptionClient.connect(URI.create(graphql.toString().replaceFirst("^http", "ws")))) {
            client.subscribe("1", SUBSCRIPTION, Map.of("q", queue));
            Thread.sleep(300); // let the subscription reach the server before the first event

            // When the forger announces a failure of a job that does not exist and of one that completed, on both channels,
            for (String channel : List.of(EventChannel.NAME, EventChannel.WATCH)) {
                forge(channel, jobs(event(999_999_999L, queue, "FAILED"), event(Long.parseLong(completed), queue, "FAILED")));
            }
            // and a real job runs after it,
            String real = Jobs.create(Map.of("kind", "noop", "queue", queue));

            // then the subscriber sees the real job's events and none of the forged ones.
            List<JsonObject> seen = new ArrayList<>();
            while (seen.isEmpty() || !"COMPLETED".equals(seen.get(seen.size() - 1).getString("status"))) {
                seen.add(client.nextData(Duration.ofSeconds(15)).getJsonObject("jobEvents"));
            }
            assertEquals(List.of(real, real, real), seen.stream().map(e -> e.getString("jobId")).toList(), seen.toString());
        }
    }

    private static JsonObject event(long id, String queue, String status) {
        return new JsonObject().put("id", id).put("q", queue).put("k", "noop").put("s", status).put("p", "RUNNING")
                .put("a", 1).put("t", System.currentTimeMillis() * 1000).put("e", "forged");
    }

    private static JsonObject jobs(JsonObject... events) {
        return new JsonObject().put("type", "jobs").put("events", new io.vertx.core.json.JsonArray(List.of((Object[]) events)));
    }

    /** Sends a NOTIFY as the restricted role. */
    private static void forge(String channel, JsonObject message) throws Exception {
        TestDatabase.Target db = TestDatabase.target();
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), FORGER, "");
                PreparedStatement s = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            s.setString(1, channel);
            s.setString(2, message.encode());
            s.executeQuery().close();
        }
    }
}
