package dev.jobyard.api;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Id;

import dev.jobyard.chain.ChainEvents;
import io.smallrye.graphql.api.Subscription;
import io.smallrye.mutiny.Multi;

@GraphQLApi
public class ChainEventsSubscription {

    private final ChainEvents events;

    ChainEventsSubscription(ChainEvents events) {
        this.events = events;
    }

    @Subscription
    @Description("CREATED, UPDATED, DELETED, PAUSED, RESUMED, SKIPPED, STARTED, TASK_SUCCEEDED, TASK_FAILED, COMPLETED, FAILED and CANCELLED, of one chain or all.")
    public Multi<ChainViews.EventView> chainEvents(@Id String chainId) {
        return events.stream()
                .filter(e -> chainId == null || String.valueOf(e.chainId()).equals(chainId))
                .map(e -> new ChainViews.EventView(String.valueOf(e.chainId()), e.chainName(), e.type(),
                        e.runId() == null ? null : String.valueOf(e.runId()),
                        e.taskId() == null ? null : String.valueOf(e.taskId()), e.at(), e.detail()));
    }
}
