package dev.jobyard.flow.run;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.jobyard.database.Sql;
import dev.jobyard.event.EventPublisher;
import dev.jobyard.event.Signals;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.vertx.core.json.JsonObject;

/**
 * Flow run events: sent by NOTIFY in the transaction that made the change, so they go out exactly when
 * it commits, and fanned out on every replica to {@code flowRunEvents} subscribers. A message carries ids
 * and types only; subscribers read the run and the step from the tables.
 */
@ApplicationScoped
public class FlowEvents {

    static final String TYPE = "flow";

    private final EventPublisher publisher;
    private final BroadcastProcessor<FlowRunEvent> stream = BroadcastProcessor.create();

    FlowEvents(EventPublisher publisher) {
        this.publisher = publisher;
    }

    public void publish(Sql.Tx tx, List<FlowRunEvent> events) {
        publisher.publish(tx, TYPE, events.stream().map(FlowEvents::toJson).toList());
    }

    /** A hot stream: a subscriber sees the events committed after it subscribed. */
    public Multi<FlowRunEvent> stream() {
        return stream;
    }

    void onMessage(@Observes Signals.Message message) {
        if (!TYPE.equals(message.type())) {
            return;
        }
        for (int i = 0; i < message.events().size(); i++) {
            try {
                stream.onNext(fromJson(message.events().getJsonObject(i)));
            } catch (RuntimeException malformed) {
                // Anyone who can connect can NOTIFY: a malformed item is dropped, the others still go out.
            }
        }
    }

    private static JsonObject toJson(FlowRunEvent e) {
        return new JsonObject().put("t", e.type().name()).put("run", e.runId()).put("flow", e.flowSlug())
                .put("step", e.stepSlug()).put("at", e.at().toInstant().toEpochMilli()).put("q", e.queue());
    }

    private static FlowRunEvent fromJson(JsonObject json) {
        return new FlowRunEvent(FlowRunEventType.valueOf(json.getString("t")), json.getLong("run"),
                json.getString("flow"), json.getString("step"),
                OffsetDateTime.ofInstant(Instant.ofEpochMilli(json.getLong("at")), ZoneOffset.UTC), json.getString("q"));
    }
}
