package dev.jobyard.api;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Id;

import dev.jobyard.event.EventBus;
import dev.jobyard.event.JobEvent;
import dev.jobyard.job.JobStatus;
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
    public Multi<Views.JobEventView> jobEvents(@Id String jobId, String queue, String kind) {
        Long id = jobId == null ? null : dev.jobyard.job.JobService.parseId("jobId", jobId);
        return bus.jobEvents()
                .filter(e -> (id == null || e.jobId() == id) && (queue == null || queue.equals(e.queue()))
                        && (kind == null || kind.equals(e.kind())))
                .map(JobEventsSubscription::view);
    }

    private static Views.JobEventView view(JobEvent e) {
        return new Views.JobEventView(String.valueOf(e.jobId()), e.queue(), e.kind(), JobStatus.valueOf(e.status()),
                e.previousStatus() == null ? null : JobStatus.valueOf(e.previousStatus()), e.attempt(), e.at(), e.error());
    }
}
