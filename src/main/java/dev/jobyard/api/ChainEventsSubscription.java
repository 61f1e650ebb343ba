package dev.jobyard.api;

import java.util.HashSet;
import java.util.Set;
import java.util.function.LongPredicate;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Id;

import dev.jobyard.access.Callers;
import dev.jobyard.access.Perm;
import dev.jobyard.access.Permission;
import dev.jobyard.access.QueueGrants;
import dev.jobyard.chain.ChainEvent;
import dev.jobyard.chain.ChainEvents;
import dev.jobyard.chain.definition.ChainDefinition;
import dev.jobyard.chain.definition.ChainService;
import io.smallrye.graphql.api.Subscription;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

@GraphQLApi
public class ChainEventsSubscription {

    private static final int PAGE = 500;

    private final ChainEvents events;
    private final ChainService chains;

    ChainEventsSubscription(ChainEvents events, ChainService chains) {
        this.events = events;
        this.chains = chains;
    }

    @Subscription
    @Description("CREATED, UPDATED, DELETED, PAUSED, RESUMED, SKIPPED, STARTED, TASK_SUCCEEDED, TASK_FAILED, COMPLETED, FAILED and CANCELLED, of one chain or all.")
    @Permission(Perm.READ)
    public Multi<ChainViews.EventView> chainEvents(@Id String chainId) {
        Multi<ChainEvent> all = events.stream().filter(e -> chainId == null || String.valueOf(e.chainId()).equals(chainId));
        // A caller limited to some queues gets the events of the chains whose runs went to them when it subscribed, as
        // scheduleEvents does; the resolver runs on the socket's event loop, so they are looked up on a worker first.
        QueueGrants granted = Callers.queues();
        Multi<ChainEvent> seen = granted.all() ? all
                : Uni.createFrom().item(() -> visibleChains(granted)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                        .onItem().transformToMulti(visible -> all.filter(e -> visible.test(e.chainId())));
        return seen.map(e -> new ChainViews.EventView(String.valueOf(e.chainId()), e.chainName(), e.type(),
                e.runId() == null ? null : String.valueOf(e.runId()),
                e.taskId() == null ? null : String.valueOf(e.taskId()), e.at(), e.detail()));
    }

    /** The chains whose runs go to granted queues; reads the database. */
    private LongPredicate visibleChains(QueueGrants granted) {
        Set<Long> ids = new HashSet<>();
        long after = 0;
        while (true) {
            var page = chains.list(null, after, PAGE);
            for (ChainDefinition c : page) {
                if (granted.allows(c.schedule().queue)) {
                    ids.add(c.chain().id);
                }
            }
            if (page.size() < PAGE) {
                return ids::contains;
            }
            after = page.get(page.size() - 1).chain().id;
        }
    }
}
