package dev.jobyard.flow;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import dev.jobyard.common.ConflictException;
import dev.jobyard.common.JobyardException;
import dev.jobyard.common.NotFoundException;
import dev.jobyard.flow.run.RunStore;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Sort;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

/**
 * Flow definitions: created once (a second create of the same definition returns the first, a different one
 * is CONFLICT), deleted when no run is active, never changed. Because they never change, the run side reads
 * them through a per-replica cache ({@link #byId}) without a query per task.
 */
@ApplicationScoped
public class FlowDefinitions {

    private static final String WITH_STEPS = "select distinct f from FlowRow f left join fetch f.steps";

    private final FlowRules rules;
    private final Map<Long, FlowDefinition> cache = new ConcurrentHashMap<>();
    private final dev.jobyard.database.SessionTransactions transactions;

    FlowDefinitions(FlowRules rules, dev.jobyard.database.SessionTransactions transactions) {
        this.rules = rules;
        this.transactions = transactions;
    }

    /** The stored flow: new, or the existing one when its definition is the same. */
    public FlowDefinition create(FlowRequest request) {
        FlowDefinition wanted = rules.check(request);
        for (int attempt = 1;; attempt++) {
            try {
                return cached(transaction(() -> findRow(wanted.slug()).chain(existing -> {
                    if (existing == null) {
                        FlowRow row = FlowRow.of(wanted);
                        return row.persist().chain(() -> Panache.getSession()).chain(s -> s.flush()).replaceWith(row)
                                .map(FlowRow::toDefinition);
                    }
                    FlowDefinition stored = existing.toDefinition();
                    if (!stored.sameDefinitionAs(wanted)) {
                        throw new ConflictException("input.slug: flow '" + wanted.slug() + "' exists with a different "
                                + "definition; definitions are immutable: delete it (when no run is active) or use another slug");
                    }
                    return Uni.createFrom().item(stored);
                })));
            } catch (RuntimeException e) {
                // Two creates of one slug at once: the unique key refuses the second, which then finds the first.
                if (attempt == 1 && isUniqueViolation(e)) {
                    continue;
                }
                throw e;
            }
        }
    }

    /**
     * Deletes a flow and its finished runs. The row lock conflicts with startFlow's share lock, so no run
     * can start between the check for active runs and the delete.
     */
    public FlowDefinition delete(String slug) {
        FlowDefinition deleted = transaction(() -> FlowRow.<FlowRow>find(WITH_STEPS + " where f.slug = ?1", slug)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult().chain(row -> {
                    if (row == null) {
                        throw new NotFoundException("flow", "'" + slug + "'");
                    }
                    FlowDefinition definition = row.toDefinition();
                    return Panache.getSession().chain(s -> s.createNativeQuery(RunStore.ACTIVE_RUNS_OF_FLOW, Long.class)
                            .setParameter("flowId", row.id).getSingleResult())
                            .chain(active -> {
                                if (active > 0) {
                                    throw new ConflictException("flow '" + slug + "' has " + active
                                            + " active run(s); cancel them or wait until they end");
                                }
                                return Panache.getSession().chain(s -> s.createNativeQuery(RunStore.DELETE_RUNS_OF_FLOW)
                                        .setParameter("flowId", row.id).executeUpdate()).chain(row::delete);
                            }).replaceWith(definition);
                }));
        cache.remove(deleted.id());
        return deleted;
    }

    public Optional<FlowDefinition> find(String slug) {
        return Optional.ofNullable(session(() -> findRow(slug).map(r -> r == null ? null : r.toDefinition()))).map(this::cached);
    }

    public Optional<FlowDefinition> find(long id) {
        FlowDefinition known = cache.get(id);
        if (known != null) {
            return Optional.of(known);
        }
        return Optional.ofNullable(session(() -> FlowRow.<FlowRow>find(WITH_STEPS + " where f.id = ?1", id).firstResult()
                .map(r -> r == null ? null : r.toDefinition()))).map(this::cached);
    }

    /** Flows by id, after {@code afterId}, at most {@code limit}. */
    public List<FlowDefinition> list(long afterId, int limit) {
        List<Long> ids = session(() -> FlowRow.<FlowRow>find("id > ?1", Sort.by("id"), afterId).page(0, limit).list()
                .map(rows -> rows.stream().map(r -> r.id).toList()));
        return ids.stream().map(this::find).flatMap(Optional::stream).toList();
    }

    /** A flow that runs reference: immutable, so cached once read. */
    public FlowDefinition byId(long id) {
        return find(id).orElseThrow(() -> new IllegalStateException("flow " + id + " of an active run is missing"));
    }

    private static Uni<FlowRow> findRow(String slug) {
        return FlowRow.<FlowRow>find(WITH_STEPS + " where f.slug = ?1", slug).firstResult();
    }

    private FlowDefinition cached(FlowDefinition definition) {
        cache.putIfAbsent(definition.id(), definition);
        return definition;
    }

    /** One transaction of the session, with the audit record of the mutation that makes it (SessionTransactions). */
    private <T> T transaction(Supplier<Uni<T>> work) {
        try {
            return transactions.inTransaction(work);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static <T> T session(Supplier<Uni<T>> work) {
        return await(() -> Panache.withSession(work));
    }

    private static <T> T await(Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work);
        } catch (JobyardException e) {
            throw e;
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c.getMessage() != null && c.getMessage().contains("23505")) {
                return true;
            }
        }
        return false;
    }
}
