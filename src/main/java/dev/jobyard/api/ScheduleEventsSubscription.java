package dev.jobyard.api;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Id;

import dev.jobyard.access.Perm;
import dev.jobyard.access.Permission;
import dev.jobyard.schedule.ScheduleEvents;
import io.smallrye.graphql.api.Subscription;
import io.smallrye.mutiny.Multi;

@GraphQLApi
public class ScheduleEventsSubscription {

    private final ScheduleEvents events;

    ScheduleEventsSubscription(ScheduleEvents events) {
        this.events = events;
    }

    @Subscription
    @Description("CREATED, UPDATED, DELETED, PAUSED, RESUMED, FIRED, SKIPPED, COMPLETED and FAILED, of one schedule or all.")
    @Permission(Perm.READ)
    public Multi<ScheduleViews.Event> scheduleEvents(@Id String scheduleId) {
        return events.stream()
                .filter(e -> scheduleId == null || String.valueOf(e.scheduleId()).equals(scheduleId))
                .map(e -> new ScheduleViews.Event(String.valueOf(e.scheduleId()), e.scheduleName(), e.type(),
                        e.jobId() == null ? null : String.valueOf(e.jobId()), e.at(), e.detail()));
    }
}
