package dev.jobyard.chain;

import java.time.OffsetDateTime;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.jobyard.database.Sql;
import dev.jobyard.event.EventPublisher;
import dev.jobyard.event.JobEvent;
import dev.jobyard.event.Signals;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.vertx.core.json.JsonObject;

/**
 * Chain events, published by NOTIFY in the transaction of the change (as schedule events are) and fanned
 * out on every replica to {@code chainEvents} subscribers. Two come from elsewhere: a slot the chain's
 * schedule skipped is SKIPPED, and the end of a run job is COMPLETED, FAILED or CANCELLED (the chain's id
 * is its schedule's, so neither needs a lookup).
 */
@ApplicationScoped
public class ChainEvents {

    public static final String TYPE = "chain";
    private static final String SCHEDULE_TYPE = "schedule";

    private final EventPublisher publisher;
    private final BroadcastProcessor<ChainEvent> stream = BroadcastProcessor.create();

    ChainEvents(EventPublisher publisher) {
        this.publisher = publisher;
    }

    public void publish(Sql.Tx tx, ChainEvent event) {
        publisher.publish(tx, TYPE, List.of(toJson(event)));
    }

    public Multi<ChainEvent> stream() {
        return stream;
    }

    public static JsonObject toJson(ChainEvent e) {
        return new JsonObject().put("id", e.chainId()).put("name", e.chainName()).put("type", e.type().name())
                .put("run", e.runId()).put("task", e.taskId()).put("at", e.at().toString()).put("detail", e.detail());
    }

    void onMessage(@Observes Signals.Message message) {
        if (TYPE.equals(message.type())) {
            for (int i = 0; i < message.events().size(); i++) {
                JsonObject json = message.events().getJsonObject(i);
                stream.onNext(new ChainEvent(json.getLong("id"), json.getString("name"),
                        ChainEventType.valueOf(json.getString("type")), json.getLong("run"), json.getLong("task"),
                        OffsetDateTime.parse(json.getString("at")), json.getString("detail")));
            }
        } else if (SCHEDULE_TYPE.equals(message.type())) {
            for (int i = 0; i < message.events().size(); i++) {
                JsonObject json = message.events().getJsonObject(i);
                String name = json.getString("name");
                if ("SKIPPED".equals(json.getString("type")) && name != null && name.startsWith(ChainNames.SCHEDULE_PREFIX)) {
                    stream.onNext(new ChainEvent(json.getLong("id"), name.substring(ChainNames.SCHEDULE_PREFIX.length()),
                            ChainEventType.SKIPPED, null, null, OffsetDateTime.parse(json.getString("at")),
                            json.getString("detail")));
                }
            }
        }
    }

    void onJobsConfirmed(@Observes Signals.JobsConfirmed changed) {
        for (JobEvent job : changed.events()) {
            if (job.scheduleId() == null || !TaskPayloads.CHAIN_KIND.equals(job.kind())) {
                continue;
            }
            switch (job.status()) {
                case "COMPLETED", "FAILED", "CANCELLED" -> stream.onNext(new ChainEvent(job.scheduleId(), null,
                        ChainEventType.valueOf(job.status()), job.jobId(), null, job.at(), job.error()));
                default -> {
                }
            }
        }
    }
}
