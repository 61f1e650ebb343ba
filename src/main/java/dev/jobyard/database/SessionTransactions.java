package dev.jobyard.database;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

/**
 * Transactions of the Hibernate Reactive Panache session (chain and flow definitions), for blocking callers, with the
 * {@link SessionHook}s added just before COMMIT: what a hook writes commits or rolls back with the change.
 */
@ApplicationScoped
public class SessionTransactions {

    private final Instance<SessionHook> hooks;
    private volatile List<SessionHook> resolved;

    SessionTransactions(Instance<SessionHook> hooks) {
        this.hooks = hooks;
    }

    /** Runs {@code work} in a transaction of the session and waits for it; throws what the work or the commit threw. */
    public <T> T inTransaction(Supplier<Uni<T>> work) throws Throwable {
        List<SessionHook.Addition> additions = new ArrayList<>();
        for (SessionHook hook : hooks()) {
            SessionHook.Addition addition = hook.capture();
            if (addition != null) {
                additions.add(addition);
            }
        }
        T result = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> work.get()
                .call(() -> additions.isEmpty() ? Uni.createFrom().voidItem() : Panache.getSession().chain(session -> {
                    Uni<Void> all = Uni.createFrom().voidItem();
                    for (SessionHook.Addition addition : additions) {
                        all = all.chain(() -> addition.beforeCommit(session));
                    }
                    return all;
                }))));
        additions.forEach(SessionHook.Addition::committed);
        return result;
    }

    private List<SessionHook> hooks() {
        if (resolved == null) {
            resolved = hooks.stream().toList();
        }
        return resolved;
    }
}
