package dev.jobyard.durable.wake;

import java.time.OffsetDateTime;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.access.QueueGrants;
import dev.jobyard.common.BadInputException;
import dev.jobyard.database.Sql;
import dev.jobyard.durable.store.EventStore;
import dev.jobyard.durable.store.Wait;
import dev.jobyard.durable.store.WaitStore;
import dev.jobyard.event.EventPublisher;
import dev.jobyard.job.JobChange;
import dev.jobyard.observability.JobMetrics;
import io.vertx.core.json.Json;

/**
 * Custom events: emitting one wakes every task waiting for its name at that moment, in the emitting
 * transaction, with the payload saved under each waiter's key. Tasks that start waiting later do not see it.
 */
@ApplicationScoped
public class DurableEvents {

    static final int MAX_NAME = 200;
    static final int MAX_PAYLOAD_BYTES = 100_000;

    private final Sql sql;
    private final WaitStore waits;
    private final EventStore events;
    private final Wakes wakes;
    private final EventPublisher publisher;
    private final JobMetrics metrics;

    DurableEvents(Sql sql, WaitStore waits, EventStore events, Wakes wakes, EventPublisher publisher, JobMetrics metrics) {
        this.sql = sql;
        this.waits = waits;
        this.events = events;
        this.wakes = wakes;
        this.publisher = publisher;
        this.metrics = metrics;
    }

    public static void checkName(String field, String name) {
        if (name == null || name.isBlank()) {
            throw new BadInputException(field, "is required");
        }
        if (name.length() > MAX_NAME || name.indexOf('\0') >= 0) {
            throw new BadInputException(field, "must be 1 to " + MAX_NAME + " characters without NUL");
        }
    }

    /** Emits {@code name} with {@code payload} in a transaction of its own; returns how many tasks it woke. */
    public int emit(String name, Object payload) {
        return emit(name, payload, QueueGrants.ALL);
    }

    /**
     * As {@link #emit(String, Object)}, for a caller granted these queues: it wakes the tasks waiting in them only;
     * the others keep waiting (an event does not reach a queue its emitter may not act on).
     */
    public int emit(String name, Object payload, QueueGrants granted) {
        checkName("name", name);
        String json = Json.encode(payload);
        if (json.length() > MAX_PAYLOAD_BYTES || json.contains("\\u0000")) {
            throw new BadInputException("payload", "must be at most " + MAX_PAYLOAD_BYTES + " characters of JSON without NUL");
        }
        return sql.inTransaction(tx -> emitIn(tx, name, json, granted).size());
    }

    /** Emits in the caller's transaction (a task's emit: every queue) and announces the woken jobs with it. */
    public List<JobChange> emitIn(Sql.Tx tx, String name, String payloadJson) {
        return emitIn(tx, name, payloadJson, QueueGrants.ALL);
    }

    private List<JobChange> emitIn(Sql.Tx tx, String name, String payloadJson, QueueGrants granted) {
        List<Wait> taken = waits.takeEvent(tx, name, granted.all() ? null : granted.likePatterns());
        List<JobChange> woken = wakes.resolve(tx, taken, w -> payloadJson);
        events.add(tx, name, payloadJson, woken.size(), woken.stream().map(JobChange::queue).filter(java.util.Objects::nonNull).distinct().sorted().toList());
        publish(tx, woken);
        return woken;
    }

    void publish(Sql.Tx tx, List<JobChange> changes) {
        if (!changes.isEmpty()) {
            metrics.changed(tx, changes);
            OffsetDateTime now = OffsetDateTime.now();
            publisher.jobEvents(tx, changes.stream().map(c -> c.toEvent(now)).toList());
        }
    }
}
