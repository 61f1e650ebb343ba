package dev.jobyard.database;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/** Where a statement runs: on its own (autocommit, through the pool: {@link Sql}) or in a transaction ({@link Sql.Tx}). */
public interface Statements {

    RowSet<Row> query(String sql, Tuple args);
}
