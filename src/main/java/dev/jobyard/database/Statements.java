package dev.jobyard.database;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/** Where a statement runs: on its own (autocommit, through the pool: {@link Sql}) or in a transaction ({@link Sql.Tx}). */
public interface Statements {

    RowSet<Row> query(String sql, Tuple args);

    /**
     * Runs a statement that PostgreSQL should plan once per connection and reuse, whatever its arguments. Left
     * to choose, it plans a statement over {@code unnest} of array arguments anew on every execution: a custom
     * plan counts the arrays' elements, a generic plan guesses ten, so for one job the custom plan always looks
     * cheaper. For the job insert that planning took 0.9 ms of a 1.3 ms statement (W2 through NOTIFY). Only for
     * statements whose plan does not depend on their arguments' values: no lookups whose best path depends on
     * how many rows match.
     */
    RowSet<Row> queryPlannedOnce(String sql, Tuple args);

    /**
     * Runs {@code action} once what was written here is committed: at once for an autocommit statement,
     * after the commit for a transaction (never, if it rolls back). For side effects that must not count
     * a write twice when a failed transaction is tried again, such as metrics.
     */
    default void afterCommit(Runnable action) {
        action.run();
    }
}
