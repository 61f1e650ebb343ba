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
    private final dev.jobyard.schedule.ScheduleService schedules;

    ScheduleEventsSubscription(ScheduleEvents events, dev.jobyard.schedule.ScheduleService schedules) {
        this.events = events;
        this.schedules = schedules;
    }

    /** The schedules whose jobs go to granted queues; reads the database, so never on an event loop. */
    private java.util.function.LongPredicate visibleSchedules(dev.jobyard.access.QueueGrants granted) {
        java.util.Set<Long> ids = new java.util.HashSet<>();
        long after = 0;
        while (true) {
            var page = schedules.list(null, after, 500);
            page.stream().filter(s -> granted.allows(s.job().queue())).forEach(s -> ids.add(s.id()));
            if (page.size() < 500) {
                return ids::contains;
            }
            after = page.get(page.size() - 1).id();
        }
    }

    @Subscription
    @Description("CREATED, UPDATED, DELETED, PAUSED, RESUMED, FIRED, SKIPPED, COMPLETED and FAILED, of one schedule or all.")
    @Permission(Perm.READ)
    public Multi<ScheduleViews.Event> scheduleEvents(@Id String scheduleId) {
        Multi<dev.jobyard.schedule.ScheduleEvent> all = events.stream()
                .filter(e -> scheduleId == null || String.valueOf(e.scheduleId()).equals(scheduleId));
        // A caller limited to some queues gets the events of the schedules it may see when it subscribes; the resolver
        // runs on the socket's event loop, so they are looked up on a worker first.
        var granted = dev.jobyard.access.Callers.queues();
        Multi<dev.jobyard.schedule.ScheduleEvent> seen = granted.all() ? all
                : io.smallrye.mutiny.Uni.createFrom().item(() -> visibleSchedules(granted))
                        .runSubscriptionOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool())
                        .onItem().transformToMulti(visible -> all.filter(e -> visible.test(e.scheduleId())));
        return seen.map(e -> new ScheduleViews.Event(String.valueOf(e.scheduleId()), e.scheduleName(), e.type(),
                e.jobId() == null ? null : String.valueOf(e.jobId()), e.at(), e.detail()));
    }
}
