package dev.jobyard.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.GraphQLClient;
import dev.jobyard.testing.SubscriptionClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

/** A caller limited to some queues neither sees nor counts jobs of others: lists, one job, queues, stats, events. */
@QuarkusTest
@TestProfile(AuthOn.class)
class QueueGrantsInReadsTest {

    @TestHTTPResource("/graphql")
    URI graphql;

    private static String createIn(String queue) {
        return GraphQLClient.okAs(AuthOn.BOOTSTRAP, "mutation($q: String) { createJob(input: {kind: \"noop\", queue: $q, "
                + "delaySeconds: 3600}) { id } }", Map.of("q", queue)).getString("createJob.id");
    }

    @Test
    void listsCountsAndSingleJobsShowOnlyGrantedQueues() {
        String prefix = "reads-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        String mine = createIn(prefix + "a");
        String theirs = createIn("other-" + UUID.randomUUID());
        String viewer = Keys.create("VIEWER", List.of(prefix + "*"));

        List<String> listed = GraphQLClient.okAs(viewer, "{ jobs(first: 500) { nodes { id queue } } }", Map.of()).getList("jobs.nodes.id");
        assertTrue(listed.contains(mine), listed.toString());
        assertFalse(listed.contains(theirs), listed.toString());
        List<String> queues = GraphQLClient.okAs(viewer, "{ jobs(first: 500) { nodes { queue } } queues { name } }", Map.of())
                .getList("queues.name");
        assertTrue(queues.stream().allMatch(q -> q.startsWith(prefix)), queues.toString());
        List<String> counted = GraphQLClient.okAs(viewer, "{ stats { byQueue { queue } } }", Map.of()).getList("stats.byQueue.queue");
        assertTrue(counted.stream().allMatch(q -> q.startsWith(prefix)) && !counted.isEmpty(), counted.toString());

        GraphQLClient.Answer other = GraphQLClient.as(viewer, "query($id: ID!) { job(id: $id) { id } }", Map.of("id", theirs));
        assertEquals("NOT_FOUND", other.jsonPath().getString("errors[0].extensions.code"), other.body());
        GraphQLClient.okAs(viewer, "query($id: ID!) { job(id: $id) { id } }", Map.of("id", mine));

        String operator = Keys.create("OPERATOR", List.of(prefix + "*"));
        GraphQLClient.Answer cancel = GraphQLClient.as(operator, "mutation($id: ID!) { cancelJob(id: $id) { id } }", Map.of("id", theirs));
        assertEquals("NOT_FOUND", cancel.jsonPath().getString("errors[0].extensions.code"), cancel.body());
        GraphQLClient.okAs(operator, "mutation($id: ID!) { cancelJob(id: $id) { status } }", Map.of("id", mine));
    }

    @Test
    void schedulesOfOtherQueuesDoNotExistForALimitedCaller() {
        String prefix = "sched-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        String create = "mutation($in: ScheduleInput!) { createSchedule(input: $in) { id } }";
        String mine = GraphQLClient.okAs(AuthOn.BOOTSTRAP, create, Map.of("in", Map.of("name", prefix + "mine", "jobKind", "noop",
                "queue", prefix + "q", "schedule", "@every 1 hour"))).getString("createSchedule.id");
        String theirs = GraphQLClient.okAs(AuthOn.BOOTSTRAP, create, Map.of("in", Map.of("name", prefix + "theirs", "jobKind", "noop",
                "queue", "other-" + UUID.randomUUID(), "schedule", "@every 1 hour"))).getString("createSchedule.id");
        String operator = Keys.create("OPERATOR", List.of(prefix + "*"));

        List<String> listed = GraphQLClient.okAs(operator, "{ schedules(first: 500) { nodes { id } } }", Map.of())
                .getList("schedules.nodes.id");
        assertTrue(listed.contains(mine) && !listed.contains(theirs), listed.toString());
        for (String document : List.of("query($id: ID!) { schedule(id: $id) { id } }",
                "query($id: ID!) { scheduleStats(scheduleId: $id) { runs } }",
                "mutation($id: ID!) { runSchedule(id: $id) { id } }",
                "mutation($id: ID!) { pauseSchedule(id: $id) { id } }")) {
            GraphQLClient.Answer answer = GraphQLClient.as(operator, document, Map.of("id", theirs));
            assertEquals("NOT_FOUND", answer.jsonPath().getString("errors[0].extensions.code"), document + " -> " + answer.body());
        }
        GraphQLClient.Answer all = GraphQLClient.as(operator, "mutation { pauseSchedule { id } }", Map.of());
        assertEquals("FORBIDDEN", all.jsonPath().getString("errors[0].extensions.code"), all.body());
        GraphQLClient.okAs(operator, "mutation($id: ID!) { pauseSchedule(id: $id) { id } }", Map.of("id", mine));
        GraphQLClient.okAs(AuthOn.BOOTSTRAP, "mutation($id: ID!) { deleteSchedule(id: $id) { id } }", Map.of("id", mine));
        GraphQLClient.okAs(AuthOn.BOOTSTRAP, "mutation($id: ID!) { deleteSchedule(id: $id) { id } }", Map.of("id", theirs));
    }

    @Test
    void aSubscriberGetsEventsOfGrantedQueuesOnly() throws Exception {
        String prefix = "events-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        String viewer = Keys.create("VIEWER", List.of(prefix + "*"));
        try (SubscriptionClient client = SubscriptionClient.connectWith(SubscriptionClient.webSocketOf(graphql),
                new JsonObject().put("Authorization", "Bearer " + viewer))) {
            client.subscribe("1", "subscription { jobEvents { jobId queue status } }", Map.of());
            // Events of the granted queue arrive until one proves the subscription runs; then one of another queue is
            // made between two of the granted queue, and never arrives.
            dev.jobyard.testing.Await.until(Duration.ofSeconds(30), () -> {
                String probe = createIn(prefix + "a");
                try {
                    return client.nextData(Duration.ofSeconds(2)).getJsonObject("jobEvents").getString("jobId").equals(probe);
                } catch (AssertionError | InterruptedException e) {
                    return false;
                }
            }, seen -> seen, "an event of the granted queue");
            String theirs = createIn("other-" + UUID.randomUUID());
            String mine = createIn(prefix + "b");
            while (true) {
                JsonObject event = client.nextData(Duration.ofSeconds(20)).getJsonObject("jobEvents");
                assertFalse(event.getString("jobId").equals(theirs), "an event of another queue: " + event);
                if (event.getString("jobId").equals(mine)) {
                    break;
                }
            }
        }
    }
}
