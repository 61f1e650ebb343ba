package dev.jobyard.event;

import static dev.jobyard.testing.GraphQLClient.execute;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import dev.jobyard.database.Sql;
import dev.jobyard.job.ClaimedJob;
import dev.jobyard.job.JobStore;
import dev.jobyard.testing.Jobs;
import dev.jobyard.testing.TestDatabase;
import dev.jobyard.testing.TestHandlers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;

/**
 * Every NOTIFY stays below PostgreSQL's 8,000-byte payload limit, whatever the length of queue names (up
 * to 100 characters) and kinds (up to 100): events are packed by bytes, not by count. Measured on the
 * statements that announce the most at once: createJobs of 5,000, claims of 200 and a completion batch of
 * 500. Workers are off on this replica, so the test claims and completes by itself.
 */
@QuarkusTest
@TestProfile(NotifyPayloadsStayUnderTheLimitTest.NoWorkers.class)
class NotifyPayloadsStayUnderTheLimitTest {

    public static class NoWorkers implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("jobyard.worker.enabled", "false");
        }
    }

    private static final String CREATE = "mutation($in: [JobInput!]!) { createJobs(inputs: $in) { id } }";

    @Inject
    JobStore store;
    @Inject
    Sql sql;

    @Test
    void theLongestQueueAndKindFitInEveryMessageOfTheLargestBatches() throws Exception {
        String queue = (Jobs.uniqueQueue() + "-").concat("q".repeat(100)).substring(0, 100);
        String kind = TestHandlers.LongestKind.KIND;
        assertEquals(100, queue.length());
        assertEquals(100, kind.length());
        try (Connection listener = listen()) {
            // When 5,000 jobs of the longest kind are created in the longest queue in one call,
            List<Map<String, Object>> inputs = new ArrayList<>();
            for (int i = 0; i < 5000; i++) {
                inputs.add(Map.of("kind", kind, "queue", queue));
            }
            JsonPath created = execute(CREATE, Map.of("in", inputs));
            assertNull(created.get("errors"), () -> "createJobs answered " + created.get("errors"));
            assertEquals(5000, created.getList("data.createJobs.id").size());

            // claimed 200 at a time,
            List<ClaimedJob> claimed = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                List<ClaimedJob> batch = store.claim(queue, 200, "ghost-results", 120_000);
                assertEquals(200, batch.size());
                claimed.addAll(batch);
            }
            // and 500 of them completed in one batch,
            List<JobStore.Completion> completions = claimed.subList(0, 500).stream()
                    .map(j -> new JobStore.Completion(j.fence(), new JsonObject())).toList();
            int completed = sql.inTransaction(tx -> store.complete(tx, "ghost-results", completions)).size();
            assertEquals(500, completed);

            // then every message was below the limit, and together they announced every change.
            Map<String, Integer> events = new HashMap<>();
            int messages = 0;
            int largest = 0;
            int expected = 5000 + 600 + 500;
            long deadline = System.currentTimeMillis() + 30_000;
            while (events.values().stream().mapToInt(Integer::intValue).sum() < expected
                    && System.currentTimeMillis() < deadline) {
                PGNotification[] batch = listener.unwrap(PGConnection.class).getNotifications(1000);
                for (PGNotification n : batch == null ? new PGNotification[0] : batch) {
                    JsonObject message = new JsonObject(n.getParameter());
                    if (!"jobs".equals(message.getString("type"))) {
                        continue;
                    }
                    boolean ours = false;
                    for (Object e : message.getJsonArray("events")) {
                        JsonObject event = (JsonObject) e;
                        if (queue.equals(event.getString("q"))) {
                            ours = true;
                            events.merge(event.getString("s"), 1, Integer::sum);
                        }
                    }
                    if (ours) {
                        messages++;
                        largest = Math.max(largest, n.getParameter().getBytes(StandardCharsets.UTF_8).length);
                    }
                }
            }
            assertEquals(Map.of("PENDING", 5000, "RUNNING", 600, "COMPLETED", 500), events);
            assertTrue(largest < 8000, "largest payload " + largest + " bytes");
            assertTrue(messages > 3, "more than one message per statement: " + messages);
        } finally {
            sql.query("DELETE FROM jobyard.job WHERE queue = $1", io.vertx.mutiny.sqlclient.Tuple.of(queue));
        }
    }

    @Test
    void aKindLongerThanTheLimitIsBadUserInput() {
        String tooLong = "k".repeat(101);

        JsonPath answer = execute("mutation($in: JobInput!) { createJob(input: $in) { id } }",
                Map.of("in", Map.of("kind", tooLong, "queue", Jobs.uniqueQueue())));

        assertEquals("BAD_USER_INPUT", answer.getString("errors[0].extensions.code"));
        assertTrue(answer.getString("errors[0].message").contains("kind"), answer.getString("errors[0].message"));
        assertTrue(answer.getString("errors[0].message").contains("at most 100 characters"), answer.getString("errors[0].message"));
    }

    private static Connection listen() throws Exception {
        TestDatabase.Target db = TestDatabase.target();
        Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        try (Statement s = c.createStatement()) {
            s.execute("LISTEN " + EventChannel.NAME);
            s.execute("LISTEN " + EventChannel.WATCH);
        }
        return c;
    }
}
