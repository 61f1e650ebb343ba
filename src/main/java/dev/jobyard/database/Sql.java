package dev.jobyard.database;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.vertx.TypeArg;
import io.vertx.core.Future;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Blocking access to the reactive pool for code that runs on worker threads (engine loops, GraphQL
 * resolvers). Statements are prepared and cached by the client; a transaction holds one connection.
 * Never call from an event-loop thread.
 */
@ApplicationScoped
public class Sql implements Statements {

    // A transaction-local setting: it ends with the statement's transaction (whose audit record is planned so too).
    private static final String BEGIN_PLANNED_ONCE = "BEGIN; SET LOCAL plan_cache_mode = force_generic_plan";

    private final Pool pool;
    private final jakarta.enterprise.inject.Instance<TransactionHook> hooks;
    private volatile List<TransactionHook> resolvedHooks;

    Sql(Pool pool, jakarta.enterprise.inject.Instance<TransactionHook> hooks) {
        this.pool = pool;
        this.hooks = hooks;
    }

    private List<TransactionHook> hooks() {
        if (resolvedHooks == null) {
            resolvedHooks = hooks.stream().toList();
        }
        return resolvedHooks;
    }

    @Override
    public RowSet<Row> query(String sql, Tuple args) {
        return run(pool, sql, args);
    }

    public RowSet<Row> query(String sql) {
        return pool.query(sql).executeAndAwait();
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(Function<Tx, T> work) {
        SqlConnection conn = pool.getConnectionAndAwait();
        try {
            Transaction tx = conn.beginAndAwait();
            try {
                Tx statements = new Tx(conn);
                T result = work.apply(statements);
                for (TransactionHook hook : hooks()) {
                    hook.beforeCommit(statements);
                }
                tx.commitAndAwait();
                statements.committed();
                return result;
            } catch (RuntimeException | Error e) {
                try {
                    tx.rollbackAndAwait();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        } finally {
            conn.closeAndAwait();
        }
    }

    /**
     * Runs {@code work} on one connection outside any transaction: each statement commits on its own. For
     * statements that refuse a transaction block (DETACH PARTITION … CONCURRENTLY), with session settings
     * that {@code work} sets and resets itself.
     */
    public <T> T onConnection(Function<Tx, T> work) {
        SqlConnection conn = pool.getConnectionAndAwait();
        try {
            return work.apply(new Tx(conn));
        } finally {
            conn.closeAndAwait();
        }
    }

    /**
     * Runs one statement in a transaction of its own that the server cancels after {@code timeout}
     * ({@code SET LOCAL statement_timeout}). The transaction's three messages are pipelined on one connection,
     * so this costs one round trip, as an autocommit statement does.
     */
    public RowSet<Row> queryWithin(Duration timeout, String sql, Tuple args) {
        return pipelined("BEGIN; SET LOCAL statement_timeout = " + timeout.toMillis(), sql, args, List.of());
    }

    /**
     * Runs one statement in a transaction of its own, planned with the connection's generic plan (see
     * {@link Statements#queryPlannedOnce}); pipelined as {@link #queryWithin} is, so one round trip.
     */
    @Override
    public RowSet<Row> queryPlannedOnce(String sql, Tuple args) {
        return pipelined(BEGIN_PLANNED_ONCE, sql, args, List.of());
    }

    /**
     * One statement that a mutation changes something with, in a transaction together with what the transaction
     * hooks add (its audit record): BEGIN, the statement, the hooks' statements and COMMIT are pipelined on one
     * connection, so this costs one round trip like an autocommit statement, and the change cannot commit without
     * its record. A failed statement makes the COMMIT a rollback; its error is thrown. With nothing to add, it is
     * an autocommit statement.
     */
    public RowSet<Row> change(String sql, Tuple args) {
        return change("BEGIN", sql, args);
    }

    private RowSet<Row> change(String begin, String sql, Tuple args) {
        List<TransactionHook.Pipelined> added = new ArrayList<>();
        for (TransactionHook hook : hooks()) {
            added.addAll(hook.pipelined());
        }
        if (added.isEmpty() && begin.equals("BEGIN")) {
            return query(sql, args);
        }
        RowSet<Row> rows = pipelined(begin, sql, args, added);
        added.forEach(statement -> statement.committed().run());
        return rows;
    }

    /**
     * Sends {@code begin} (BEGIN and any SET LOCAL), the statement, {@code added} and COMMIT in this order on one
     * connection without waiting for the answers, and waits once. The connection is taken, used and given back on
     * the event loop: taking and closing it as two more blocking calls put two more hand-overs between threads on
     * the claim's path (W2 through NOTIFY, issue 13). A failed statement makes the COMMIT a rollback; the first
     * failure is thrown (those after it only say the transaction was aborted).
     */
    private RowSet<Row> pipelined(String begin, String sql, Tuple args, List<TransactionHook.Pipelined> added) {
        return await(pool.getDelegate().withConnection(c -> {
            List<Future<?>> sent = new ArrayList<>(added.size() + 3);
            sent.add(c.query(begin).execute());
            Future<io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row>> rows = c.preparedQuery(sql).execute(args.getDelegate());
            sent.add(rows);
            for (TransactionHook.Pipelined statement : added) {
                sent.add(c.preparedQuery(statement.sql()).execute(statement.args().getDelegate()));
            }
            sent.add(c.query("COMMIT").execute());
            // When every statement succeeded, COMMIT committed.
            return firstFailureOr(sent, rows);
        }).map(Sql::rows));
    }

    /** Once all of {@code sent} are answered: the first failure (those after it only say the transaction was aborted), else {@code rows}. */
    private static <T> Future<T> firstFailureOr(List<Future<?>> sent, Future<T> rows) {
        return Future.join(sent).transform(all -> {
            for (Future<?> f : sent) {
                if (f.failed()) {
                    return Future.failedFuture(f.cause());
                }
            }
            return Future.succeededFuture(rows.result());
        });
    }

    private static RowSet<Row> rows(io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row> rows) {
        return RowSet.newInstance(rows, new TypeArg<Row>(row -> Row.newInstance((io.vertx.sqlclient.Row) row), Row::getDelegate));
    }

    /** Waits for {@code done}; its failure is thrown as it is. Never on an event loop, which would answer it. */
    private static <T> T await(Future<T> done) {
        try {
            return done.toCompletionStage().toCompletableFuture().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** {@link Statements} whose statements are {@link #change}s: for the single writes of a mutation. */
    public Statements changes() {
        return new Statements() {
            @Override
            public RowSet<Row> query(String sql, Tuple args) {
                return change(sql, args);
            }

            @Override
            public RowSet<Row> queryPlannedOnce(String sql, Tuple args) {
                return change(BEGIN_PLANNED_ONCE, sql, args);
            }
        };
    }

    static RowSet<Row> run(SqlClient client, String sql, Tuple args) {
        return client.preparedQuery(sql).executeAndAwait(args);
    }

    /** The connection of a running transaction. */
    public static final class Tx implements Statements {
        private final SqlConnection conn;
        private List<Runnable> afterCommit;
        // What plan_cache_mode this transaction's statements are planned under, for queryPlannedOnce to go back to.
        private String planMode = "DEFAULT";

        Tx(SqlConnection conn) {
            this.conn = conn;
        }

        @Override
        public void afterCommit(Runnable action) {
            if (afterCommit == null) {
                afterCommit = new ArrayList<>(4);
            }
            afterCommit.add(action);
        }

        void committed() {
            if (afterCommit != null) {
                afterCommit.forEach(Runnable::run);
            }
        }

        @Override
        public RowSet<Row> query(String sql, Tuple args) {
            return run(conn, sql, args);
        }

        public RowSet<Row> query(String sql) {
            return conn.query(sql).executeAndAwait();
        }

        /** Has the server cancel any later statement of this transaction that runs longer than {@code timeout}. */
        public void statementTimeout(Duration timeout) {
            query("SET LOCAL statement_timeout = " + timeout.toMillis());
        }

        /**
         * Has PostgreSQL plan the rest of this transaction's statements for their actual arguments, by key, not reuse
         * a generic plan of the connection's prepared statement. A generic plan is fixed after five executions and
         * kept until the table's statistics change; made while a table was small (the first runs of a workflow on a
         * new database), it scans the table however large it grows, and without autovacuum it is never replaced
         * (W9: the flow advance's statements went from under 1 ms to 5-13 ms each as their tables grew). Planned
         * for its arguments but without statistics, a lookup of 50 keys is still costed as a quarter of the table,
         * so sequential scans are ruled out too: only for transactions whose statements all look rows up by key.
         */
        public void planForArguments() {
            query("SET LOCAL plan_cache_mode = force_custom_plan; SET LOCAL enable_seqscan = off");
            planMode = "force_custom_plan";
        }

        /**
         * The statement under the connection's generic plan, between two settings that go to it and back to this
         * transaction's mode; the three are pipelined, so this costs one round trip as {@link #query} does.
         */
        @Override
        public RowSet<Row> queryPlannedOnce(String sql, Tuple args) {
            io.vertx.sqlclient.SqlConnection c = conn.getDelegate();
            Future<?> generic = c.query("SET LOCAL plan_cache_mode = force_generic_plan").execute();
            Future<io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row>> rows = c.preparedQuery(sql).execute(args.getDelegate());
            Future<?> back = c.query("SET LOCAL plan_cache_mode = " + planMode).execute();
            return await(firstFailureOr(List.of(generic, rows, back), rows).map(Sql::rows));
        }
    }
}
