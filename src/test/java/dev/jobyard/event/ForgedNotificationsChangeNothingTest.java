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

import dev.jobyard.testing.Flows;
import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.Jobs;
import dev.jobyard.testing.Schedules;
import dev.jobyard.testing.SubscriptionClient;
import dev.jobyard.testing.TestDatabase;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
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
            client.awaitLiveJobEvents(queue);

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

    @Test
    void forgedScheduleAndQueueMessagesChangeNothing() throws Exception {
        // Given a paused schedule due every second, and a job waiting in a paused queue,
        String paused = Schedules.create(Map.of("schedule", "@every 1 second")).getString("id");
        Schedules.pause(paused);
        String slots = "SELECT count(*) FROM jobyard.schedule_slot WHERE schedule_id = ?";
        long firedBefore = Jdbc.<Long>value(slots, Long.parseLong(paused)); // a slot may have fired before the pause
        String queue = Jobs.uniqueQueue();
        Jobs.pause(queue);
        String waiting = Jobs.create(Map.of("kind", "noop", "queue", queue));
        try (SubscriptionClient client = SubscriptionClient.connect(SubscriptionClient.webSocketOf(graphql))) {
            client.subscribe("1", "subscription { scheduleEvents { scheduleId type } }", Map.of());
            client.awaitLiveScheduleEvents();

            // when the restricted role announces that the schedule was resumed, fired and deleted, and the queue resumed,
            String at = java.time.OffsetDateTime.now().toString();
            List<Object> claims = new ArrayList<>();
            for (String type : List.of("RESUMED", "FIRED", "DELETED")) {
                claims.add(new JsonObject().put("id", Long.parseLong(paused)).put("name", "forged").put("type", type)
                        .put("job", 999_999_999L).put("at", at).put("detail", "forged"));
            }
            forge(EventChannel.NAME, new JsonObject().put("type", "schedule").put("events", new JsonArray(claims)));
            forge(EventChannel.NAME, new JsonObject().put("type", "queue").put("name", queue).put("paused", false));
            // and sends a malformed one,
            forge(EventChannel.NAME, new JsonObject().put("type", "schedule").put("events", new JsonArray()
                    .add(new JsonObject().put("id", "x").put("type", "BOGUS"))));

            // and real work follows it (messages are handled in the order sent): a schedule of its own is created and
            // fires, and a job of another queue runs,
            String real = Schedules.create(Map.of("schedule", "@every 1 second")).getString("id");
            JsonObject event;
            do {
                event = client.nextData(Duration.ofSeconds(15)).getJsonObject("scheduleEvents");
            } while (!(real.equals(event.getString("scheduleId")) && "FIRED".equals(event.getString("type"))));
            Jobs.awaitStatus(Jobs.create(Map.of("kind", "noop", "queue", Jobs.uniqueQueue())), "COMPLETED");
        }

        // then the schedule is still there, paused, and fired nothing, and the paused queue's job still waits.
        io.restassured.path.json.JsonPath schedule = Schedules.get(paused);
        assertEquals("PAUSED", schedule.getString("status"));
        assertEquals(firedBefore, Jdbc.<Long>value(slots, Long.parseLong(paused)), "the paused schedule fired no slot");
        assertEquals("PENDING", Jobs.status(waiting));
        assertEquals(true, ok("{ queues { name paused } }").getList("queues", Map.class).stream()
                .filter(q -> queue.equals(q.get("name"))).findFirst().orElseThrow().get("paused"));
        Jobs.resume(queue);
        Jobs.awaitStatus(waiting, "COMPLETED");
        Schedules.deleteCreated();
    }

    @Test
    void flowRunSubscribersDoNotSeeForgedEvents() throws Exception {
        // given a flow, one of whose runs completed, and a subscriber to its runs' events
        String slug = Flows.create(Flows.uniqueSlug("forged"),
                List.of(Flows.step("a", "SINGLE", "noop", List.of())));
        String done = Flows.start(slug, Map.of()).getString("id");
        Flows.awaitStatus(done, "COMPLETED");
        try (SubscriptionClient client = SubscriptionClient.connect(SubscriptionClient.webSocketOf(graphql))) {
            client.subscribe("1", "subscription($f: String) { flowRunEvents(flowSlug: $f) { runId type stepSlug } }",
                    Map.of("f", slug));
            client.awaitLiveFlowRunEvents(slug);

            // when the restricted role announces that the completed run failed, that its step failed, and that a run
            // that does not exist started,
            long at = System.currentTimeMillis();
            forge(EventChannel.NAME, new JsonObject().put("type", "flow").put("events", new JsonArray(List.of(
                    flowEvent("RUN_FAILED", Long.parseLong(done), slug, null, at),
                    flowEvent("STEP_FAILED", Long.parseLong(done), slug, "a", at),
                    flowEvent("RUN_STARTED", 999_999_999L, slug, null, at)))));
            // and a real run follows (messages are handled in the order sent),
            String real = Flows.start(slug, Map.of()).getString("id");

            // then the subscriber sees the real run's events and none of the forged ones.
            List<String> seen = new ArrayList<>();
            String last = "";
            while (!last.equals(real + " RUN_COMPLETED")) {
                JsonObject e = client.nextData(Duration.ofSeconds(15)).getJsonObject("flowRunEvents");
                last = e.getString("runId") + " " + e.getString("type");
                seen.add(last + (e.getString("stepSlug") == null ? "" : " " + e.getString("stepSlug")));
            }
            assertEquals(List.of(real + " RUN_STARTED", real + " STEP_STARTED a", real + " STEP_COMPLETED a",
                    real + " RUN_COMPLETED"), seen);
        }
    }

    private static JsonObject flowEvent(String type, long run, String flow, String step, long at) {
        return new JsonObject().put("t", type).put("run", run).put("flow", flow).put("step", step).put("at", at).put("q", "forged");
    }

    private static JsonObject event(long id, String queue, String status) {
        return new JsonObject().put("id", id).put("q", queue).put("k", "noop").put("s", status).put("p", "RUNNING")
                .put("a", 1).put("t", System.currentTimeMillis() * 1000).put("e", "forged");
    }

    private static JsonObject jobs(JsonObject... events) {
        return new JsonObject().put("type", "jobs").put("events", new JsonArray(List.of((Object[]) events)));
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
