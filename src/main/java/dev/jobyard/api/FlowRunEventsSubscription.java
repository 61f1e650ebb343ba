package dev.jobyard.api;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Id;

import dev.jobyard.flow.run.FlowEvents;
import io.smallrye.graphql.api.Subscription;
import io.smallrye.mutiny.Multi;

@GraphQLApi
public class FlowRunEventsSubscription {

    private final FlowEvents events;

    FlowRunEventsSubscription(FlowEvents events) {
        this.events = events;
    }

    @Subscription
    @Description("RUN_STARTED, STEP_STARTED, STEP_COMPLETED, STEP_FAILED, RUN_COMPLETED, RUN_FAILED and RUN_CANCELLED, of one "
            + "run, of one flow's runs, or of all.")
    public Multi<FlowViews.FlowRunEventView> flowRunEvents(@Id String runId, String flowSlug) {
        return events.stream()
                .filter(e -> runId == null || String.valueOf(e.runId()).equals(runId))
                .filter(e -> flowSlug == null || flowSlug.equals(e.flowSlug()))
                .map(e -> new FlowViews.FlowRunEventView(e.type(), String.valueOf(e.runId()), e.flowSlug(), e.stepSlug(), e.at()));
    }
}
