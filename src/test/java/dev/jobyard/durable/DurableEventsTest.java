package dev.jobyard.durable;

import static dev.jobyard.testing.GraphQLClient.ok;
import static dev.jobyard.testing.Jobs.awaitStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Durable;
import dev.jobyard.testing.GraphQLClient;
import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;

/** emitEvent wakes every task waiting at that moment, with the payload; later waiters wait for the next one. */
@QuarkusTest
class DurableEventsTest {

    private static Map<String, Object> waitFor(String key, String event) {
        return Map.of("op", "waitForEvent", "key", key, "event", event, "timeoutMs", 60_000);
    }

    @Test
    void anEventWakesItsThreeWaitersAndALateWaiterWaitsForTheNextOne() {
        String queue = Jobs.uniqueQueue();
        String event = "approved-" + queue;
        List<String> waiters = List.of(Durable.script(queue, List.of(waitFor("w", event))),
                Durable.script(queue, List.of(waitFor("w", event))), Durable.script(queue, List.of(waitFor("w", event))));
        for (String id : waiters) {
            awaitStatus(id, "WAITING");
        }
        var listed = ok("query($q: String) { jobs(status: WAITING, queue: $q) { nodes { id waitingFor { eventName } } } }",
                Map.of("q", queue));
        assertEquals(List.of(event, event, event), listed.getList("jobs.nodes.waitingFor.eventName"));

        assertEquals(3, Durable.emit(event, Map.of("by", "alice")));

        for (String id : waiters) {
            assertEquals("alice", awaitStatus(id, "COMPLETED").getString("result.w.by"));
        }
        String late = Durable.script(queue, List.of(waitFor("w", event)));
        awaitStatus(late, "WAITING");
        assertEquals("WAITING", Jobs.status(late), "the event emitted before it waited is not seen");

        assertEquals(1, Durable.emit(event, Map.of("by", "bob")));
        assertEquals("bob", awaitStatus(late, "COMPLETED").getString("result.w.by"));
        var events = ok("query($n: String) { events(name: $n) { name woke payload cursor } }", Map.of("n", event));
        assertEquals(List.of(1, 3), events.getList("events.woke"), "newest first");
        String cursor = events.getString("events[0].cursor");
        assertEquals(List.of(3), ok("query($n: String, $a: String) { events(name: $n, after: $a) { woke } }",
                Map.of("n", event, "a", cursor)).getList("events.woke"));
    }

    @Test
    void anEmitInATaskHappensOnceEvenWhenTheTaskIsRetried() {
        String queue = Jobs.uniqueQueue();
        String event = "saved-" + queue;
        String id = Durable.script(queue, 3, List.of(
                Map.of("op", "emit", "key", "e", "event", event, "payload", Map.of("n", 1)),
                Map.of("op", "step", "key", "s", "failUntilAttempt", 2)));

        awaitStatus(id, "COMPLETED");

        assertEquals(1, ok("query($n: String) { events(name: $n) { id } }", Map.of("n", event)).getList("events").size());
    }

    @Test
    void anEventWithNoNameIsRefused() {
        var answer = GraphQLClient.execute("mutation { emitEvent(name: \" \") }");
        assertEquals("BAD_USER_INPUT", answer.getString("errors[0].extensions.code"));
        assertEquals("name: is required", answer.getString("errors[0].message"));
    }
}
