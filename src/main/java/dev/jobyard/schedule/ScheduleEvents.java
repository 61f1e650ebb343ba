package dev.jobyard.schedule;

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
 * Schedule events: published by NOTIFY in the transaction of the change, and fanned out on every
 * replica to {@code scheduleEvents} subscribers. A scheduled job's completion or failure becomes a
 * COMPLETED or FAILED event of its schedule.
 */
@ApplicationScoped
public class ScheduleEvents {

    static final String TYPE = "schedule";

    private final EventPublisher publisher;
    private final BroadcastProcessor<ScheduleEvent> stream = BroadcastProcessor.create();

    ScheduleEvents(EventPublisher publisher) {
        this.publisher = publisher;
    }

    public void publish(Sql.Tx tx, List<ScheduleEvent> events) {
        publisher.publish(tx, TYPE, events.stream().map(ScheduleEvents::toJson).toList());
    }

    public void publish(Sql.Tx tx, Schedule schedule, ScheduleEventType type, Long jobId, String detail) {
        publish(tx, List.of(new ScheduleEvent(schedule.id(), schedule.name(), type, jobId, OffsetDateTime.now(), detail)));
    }

    public Multi<ScheduleEvent> stream() {
        return stream;
    }

    void onMessage(@Observes Signals.Message message) {
        if (TYPE.equals(message.type())) {
            for (int i = 0; i < message.events().size(); i++) {
                stream.onNext(fromJson(message.events().getJsonObject(i)));
            }
        }
    }

    void onJobsConfirmed(@Observes Signals.JobsConfirmed changed) {
        for (JobEvent job : changed.events()) {
            if (job.scheduleId() == null) {
                continue;
            }
            if ("COMPLETED".equals(job.status()) || "FAILED".equals(job.status())) {
                stream.onNext(new ScheduleEvent(job.scheduleId(), null, ScheduleEventType.valueOf(job.status()),
                        job.jobId(), job.at(), job.error()));
            }
        }
    }

    private static JsonObject toJson(ScheduleEvent e) {
        return new JsonObject().put("id", e.scheduleId()).put("name", e.scheduleName()).put("type", e.type().name())
                .put("job", e.jobId()).put("at", e.at().toString()).put("detail", e.detail());
    }

    private static ScheduleEvent fromJson(JsonObject json) {
        return new ScheduleEvent(json.getLong("id"), json.getString("name"),
                ScheduleEventType.valueOf(json.getString("type")), json.getLong("job"),
                OffsetDateTime.parse(json.getString("at")), json.getString("detail"));
    }
}
