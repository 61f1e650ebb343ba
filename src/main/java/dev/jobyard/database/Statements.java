package dev.jobyard.database;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/** Where a statement runs: on its own (autocommit, through the pool: {@link Sql}) or in a transaction ({@link Sql.Tx}). */
public interface Statements {

    RowSet<Row> query(String sql, Tuple args);

    /**
     * Runs {@code action} once what was written here is committed: at once for an autocommit statement,
     * after the commit for a transaction (never, if it rolls back). For side effects that must not count
     * a write twice when a failed transaction is tried again, such as metrics.
     */
    default void afterCommit(Runnable action) {
        action.run();
    }
}
