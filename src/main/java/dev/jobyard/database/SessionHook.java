package dev.jobyard.database;

import org.hibernate.reactive.mutiny.Mutiny;

import io.smallrye.mutiny.Uni;

/**
 * Work that joins every transaction of {@link SessionTransactions} (the Hibernate Reactive Panache session) just
 * before it commits, as {@link TransactionHook} joins those of {@link Sql#inTransaction}. The session's work runs on
 * a Vert.x context, not on the thread that asked for it, so a hook first captures what it needs on that thread.
 */
public interface SessionHook {

    /** On the thread that starts the transaction: what to add to it, or null for nothing. */
    Addition capture();

    /** What one hook adds to one transaction. */
    interface Addition {

        /** In the transaction, after its work and before COMMIT. */
        Uni<Void> beforeCommit(Mutiny.Session session);

        /** The transaction committed. */
        void committed();
    }
}
