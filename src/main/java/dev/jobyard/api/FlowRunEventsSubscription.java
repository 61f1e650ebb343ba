package dev.jobyard.api;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Source;

import dev.jobyard.access.Callers;
import dev.jobyard.access.Perm;
import dev.jobyard.access.Permission;
import dev.jobyard.access.QueueGrants;
import dev.jobyard.flow.run.FlowEvents;
import dev.jobyard.flow.run.FlowRuns;
import io.smallrye.graphql.api.Subscription;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

@GraphQLApi
public class FlowRunEventsSubscription {

    private final FlowEvents events;
    private final FlowRuns runs;

    FlowRunEventsSubscription(FlowEvents events, FlowRuns runs) {
        this.events = events;
        this.runs = runs;
    }

    @Subscription
    @Description("RUN_STARTED, STEP_STARTED, STEP_COMPLETED, STEP_FAILED, RUN_COMPLETED, RUN_FAILED and RUN_CANCELLED, of one "
            + "run, of one flow's runs, or of all.")
    @Permission(Perm.READ)
    public Multi<FlowViews.FlowRunEventView> flowRunEvents(@Id String runId, String flowSlug) {
        // A caller limited to some queues gets the events of the flows whose jobs go to them.
        QueueGrants granted = Callers.queues();
        return events.stream()
                .filter(e -> granted.all() || e.queue() != null && granted.allows(e.queue()))
                .filter(e -> runId == null || String.valueOf(e.runId()).equals(runId))
                .filter(e -> flowSlug == null || flowSlug.equals(e.flowSlug()))
                .map(e -> new FlowViews.FlowRunEventView(e.type(), String.valueOf(e.runId()), e.flowSlug(), e.stepSlug(), e.at()));
    }

    // Uni on the worker pool: the dispatch of blocking fields needs a Vert.x context that the subscription's
    // delivery thread does not have.
    @Description("The run as it is now.")
    public Uni<FlowViews.FlowRunView> run(@Source FlowViews.FlowRunEventView event) {
        return Uni.createFrom().item(() -> runs.find(event.runId()).map(FlowViews.FlowRunView::of).orElse(null))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    @Description("The step, for STEP_ events, as it is now.")
    public Uni<FlowViews.FlowStepStateView> step(@Source FlowViews.FlowRunEventView event) {
        return Uni.createFrom().item(() -> {
            if (event.stepSlug() == null) {
                return null;
            }
            long id = Long.parseLong(event.runId());
            return FlowViews.FlowStepStateView.of(runs.steps(id), runs.tasks(id)).stream()
                    .filter(s -> s.stepSlug().equals(event.stepSlug())).findFirst().orElse(null);
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
