package dev.jobyard.api;

import java.time.OffsetDateTime;
import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Name;

/** GraphQL types of durable tasks (see docs/durable.md). */
public final class DurableViews {

    private DurableViews() {
    }

    @Name("DurableStep")
    @Description("A result a durable task saved under a key: a step's value, a child's result, an event's payload, a row change.")
    public record Step(String key,
            @Description("step, sleep, invoke, event, dbchange, emit, schedule or unschedule.") String type,
            jakarta.json.JsonValue result,
            @Description("The wait gave up at its timeout; the primitive throws DurableTimeoutException on replay.") boolean timedOut,
            OffsetDateTime at) {
    }

    @Name("DurableWait")
    @Description("What a parked durable task waits for.")
    public record Wait(@Description("sleep, invoke, event or dbchange.") String type, String key,
            @Description("When the sleep ends, or when the wait times out; null: no timeout.") OffsetDateTime until,
            String eventName, @Id String childJobId,
            @Description("schema.table of a row change.") String table, String operation, List<String> columns) {
    }

    @Name("DurableEvent")
    @Description("An event emitted by emitEvent or a task's emit; pass cursor as after to read older ones.")
    public record Event(@Id String id, String cursor, String name, jakarta.json.JsonValue payload,
            @Description("How many waiting tasks it woke.") int woke, OffsetDateTime emittedAt) {
    }
}
