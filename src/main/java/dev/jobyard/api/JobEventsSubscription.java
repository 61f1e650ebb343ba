package dev.jobyard.api;

import org.eclipse.microprofile.graphql.Description;

import dev.jobyard.access.Callers;
import dev.jobyard.access.Perm;
import dev.jobyard.access.Permission;
import dev.jobyard.access.QueueGrants;
import dev.jobyard.event.EventBus;
import dev.jobyard.event.JobEvent;
import dev.jobyard.job.JobStatus;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Id;

import io.smallrye.graphql.api.Subscription;
import io.smallrye.mutiny.Multi;

/** Live job status over graphql-ws / graphql-transport-ws on /graphql. */
@GraphQLApi
public class JobEventsSubscription {

    private final EventBus bus;

    JobEventsSubscription(EventBus bus) {
        this.bus = bus;
    }

    @Subscription
    @Description("Every status change (and retry) of matching jobs, as it commits on any replica. All filters optional.")
    @Permission(Perm.READ)
    public Multi<Views.JobEventView> jobEvents(@Id String jobId, String queue, String kind) {
        Long id = jobId == null ? null : dev.jobyard.job.JobService.parseId("jobId", jobId);
        // A caller limited to some queues gets events of those only.
        QueueGrants granted = Callers.queues();
        return bus.jobEvents()
                .filter(e -> granted.allows(e.queue()))
                .filter(e -> (id == null || e.jobId() == id) && (queue == null || queue.equals(e.queue()))
                        && (kind == null || kind.equals(e.kind())))
                .map(JobEventsSubscription::view);
    }

    private static Views.JobEventView view(JobEvent e) {
        return new Views.JobEventView(String.valueOf(e.jobId()), e.queue(), e.kind(), JobStatus.valueOf(e.status()),
                e.previousStatus() == null ? null : JobStatus.valueOf(e.previousStatus()), e.attempt(), e.at(), e.error());
    }
}
