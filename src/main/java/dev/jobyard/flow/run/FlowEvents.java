package dev.jobyard.flow.run;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.jobyard.database.Sql;
import dev.jobyard.event.EventPublisher;
import dev.jobyard.event.Signals;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.vertx.core.json.JsonObject;

/**
 * Flow run events: sent by NOTIFY in the transaction that made the change, so they go out exactly when
 * it commits, and fanned out on every replica to {@code flowRunEvents} subscribers. A message carries ids
 * and types only; subscribers read the run and the step from the tables. Any role that can connect may
 * NOTIFY, so while someone subscribes, what a message claims is checked against the tables first (one
 * statement per message, on the thread that hands on messages): an event of a run that does not exist, or
 * of a state the run or step is not in (RUN_FAILED for a running run, say), reaches nobody, and the flow and
 * queue shown are the table's.
 */
@ApplicationScoped
public class FlowEvents {

    static final String TYPE = "flow";

    private static final Logger LOG = Logger.getLogger(FlowEvents.class);

    private final EventPublisher publisher;
    private final RunStore runs;
    private final BroadcastProcessor<FlowRunEvent> stream = BroadcastProcessor.create();
    // Subscribers on this replica: messages are checked (a statement each) only while someone would see them.
    private final AtomicInteger watchers = new AtomicInteger();

    FlowEvents(EventPublisher publisher, RunStore runs) {
        this.publisher = publisher;
        this.runs = runs;
    }

    public void publish(Sql.Tx tx, List<FlowRunEvent> events) {
        publisher.publish(tx, TYPE, events.stream().map(FlowEvents::toJson).toList());
    }

    /** A hot stream: a subscriber sees the events committed after it subscribed. */
    public Multi<FlowRunEvent> stream() {
        return stream.onSubscription().invoke(watchers::incrementAndGet)
                .onTermination().invoke(watchers::decrementAndGet);
    }

    void onMessage(@Observes Signals.Message message) {
        if (!TYPE.equals(message.type()) || watchers.get() == 0) {
            return;
        }
        List<FlowRunEvent> heard = new ArrayList<>();
        for (int i = 0; i < message.events().size(); i++) {
            try {
                heard.add(fromJson(message.events().getJsonObject(i)));
            } catch (RuntimeException malformed) {
                // Anyone who can connect can NOTIFY: a malformed item is dropped, the others still go out.
            }
        }
        if (heard.isEmpty()) {
            return;
        }
        Map<Long, RunStore.EventState> states;
        try {
            states = runs.eventStates(heard.stream().map(FlowRunEvent::runId).collect(Collectors.toSet()));
        } catch (RuntimeException e) {
            LOG.warnf("Could not check %d flow run events against the tables (%s); subscribers miss them", heard.size(),
                    e.getMessage());
            return;
        }
        confirm(heard, states).forEach(stream::onNext);
    }

    /** The events that agree with the tables, with the flow and queue the tables give. */
    static List<FlowRunEvent> confirm(List<FlowRunEvent> heard, Map<Long, RunStore.EventState> states) {
        List<FlowRunEvent> confirmed = new ArrayList<>(heard.size());
        for (FlowRunEvent event : heard) {
            RunStore.EventState run = states.get(event.runId());
            if (run == null) {
                continue;
            }
            String step = event.stepSlug();
            boolean agrees = switch (event.type()) {
                case RUN_STARTED -> step == null;
                case RUN_COMPLETED -> step == null && run.status() == FlowRunStatus.COMPLETED;
                case RUN_FAILED -> step == null && run.status() == FlowRunStatus.FAILED;
                case RUN_CANCELLED -> step == null && run.status() == FlowRunStatus.CANCELLED;
                case STEP_STARTED -> step != null && run.started().contains(step);
                case STEP_COMPLETED -> step != null && run.steps().get(step) == FlowStepStatus.COMPLETED;
                case STEP_FAILED -> step != null && run.steps().get(step) == FlowStepStatus.FAILED;
            };
            if (agrees) {
                confirmed.add(new FlowRunEvent(event.type(), event.runId(), run.flowSlug(), step, event.at(), run.queue()));
            }
        }
        return confirmed;
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
