package dev.jobyard.command.copy;

import java.io.InputStream;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import dev.jobyard.command.BackendStopper;
import dev.jobyard.command.Watchdog;
import dev.jobyard.handler.JobContext;
import io.agroal.api.AgroalDataSource;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * PostgreSQL COPY through the JDBC driver's CopyManager on the service's JDBC datasource, streamed in
 * both directions: memory use does not grow with the data. Each COPY is one transaction, committed
 * only when {@code commitIf} says the source or sink ended well; a copy out is a READ ONLY one. A
 * stopped attempt stops its backend ({@link BackendStopper}): the driver's COPY does not answer
 * thread interruption, and a query that sends nothing (pg_sleep) would otherwise outlive it.
 */
@ApplicationScoped
public class Copier {

    private final AgroalDataSource dataSource;
    private final Pool pool;
    private final BackendStopper stopper;

    Copier(AgroalDataSource dataSource, Pool pool, BackendStopper stopper) {
        this.dataSource = dataSource;
        this.pool = pool;
        this.stopper = stopper;
    }

    @FunctionalInterface
    interface Check {
        boolean ok() throws Exception;
    }

    @FunctionalInterface
    private interface Transfer {
        long run(CopyManager manager) throws Exception;
    }

    long copyIn(CopySpec spec, InputStream in, JobContext context, Check commitIf) throws Exception {
        return copy(spec, false, context, commitIf, manager -> manager.copyIn(spec.statement(), StoppableStreams.of(in, context), 65536));
    }

    long copyOut(CopySpec spec, OutputStream out, JobContext context, Check commitIf) throws Exception {
        return copy(spec, true, context, commitIf, manager -> {
            long rows = manager.copyOut(spec.statement(), StoppableStreams.of(out, context));
            out.close();
            return rows;
        });
    }

    private long copy(CopySpec spec, boolean readOnly, JobContext context, Check commitIf, Transfer transfer) throws Exception {
        if (spec.query() != null) {
            checkOneStatement(spec.query());
        }
        try (Connection conn = dataSource.getConnection()) {
            conn.setAutoCommit(false);
            PGConnection pg = conn.unwrap(PGConnection.class);
            int pid = pg.getBackendPID();
            AtomicBoolean finished = new AtomicBoolean();
            try (Statement statement = conn.createStatement()) {
                // The first statement of the transaction: a query that writes (DELETE ... RETURNING, a
                // data-modifying WITH, nextval) fails with SQLSTATE 25006 instead of writing.
                statement.execute(readOnly ? "SET TRANSACTION READ ONLY" : "SET TRANSACTION READ WRITE");
            }
            Watchdog watchdog = Watchdog.watch("copy-job-" + context.jobId(), context, 0,
                    () -> stopper.stop(pid, () -> cancel(pg), finished::get));
            try {
                long rows = transfer.run(pg.getCopyAPI());
                finished.set(true);
                watchdog.close();
                if (commitIf.ok()) {
                    conn.commit();
                } else {
                    conn.rollback();
                }
                return rows;
            } catch (Exception e) {
                finished.set(true);
                watchdog.close();
                if (watchdog.fired()) {
                    // Its backend may have been terminated: the pool must not hand this connection out again.
                    conn.abort(Runnable::run);
                } else {
                    try {
                        conn.rollback();
                    } catch (SQLException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                throw e;
            }
        }
    }

    /**
     * PostgreSQL's own check that the query is one statement: the extended protocol parses it as one
     * prepared statement, which refuses several ("cannot insert multiple commands into a prepared statement").
     */
    private void checkOneStatement(String query) {
        SqlConnection conn = pool.getConnectionAndAwait();
        try {
            conn.prepareAndAwait(query).closeAndAwait();
        } finally {
            conn.closeAndAwait();
        }
    }

    private static void cancel(PGConnection pg) {
        try {
            pg.cancelQuery();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
