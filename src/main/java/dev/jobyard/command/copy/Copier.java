package dev.jobyard.command.copy;

import java.io.InputStream;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import dev.jobyard.handler.JobContext;
import io.agroal.api.AgroalDataSource;

/**
 * PostgreSQL COPY through the JDBC driver's CopyManager on the service's JDBC datasource, streamed in
 * both directions: memory use does not grow with the data. Each COPY is one transaction, committed
 * only when {@code commitIf} says the source or sink ended well.
 */
@ApplicationScoped
public class Copier {

    private final AgroalDataSource dataSource;

    Copier(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @FunctionalInterface
    interface Check {
        boolean ok() throws Exception;
    }

    long copyIn(String sql, InputStream in, JobContext context, Check commitIf) throws Exception {
        try (Connection conn = dataSource.getConnection()) {
            conn.setAutoCommit(false);
            try {
                long rows = manager(conn).copyIn(sql, StoppableStreams.of(in, context), 65536);
                finish(conn, commitIf);
                return rows;
            } catch (Exception e) {
                conn.rollback();
                throw e;
            }
        }
    }

    long copyOut(String sql, OutputStream out, JobContext context, Check commitIf) throws Exception {
        try (Connection conn = dataSource.getConnection()) {
            conn.setAutoCommit(false);
            try {
                long rows = manager(conn).copyOut(sql, StoppableStreams.of(out, context));
                out.close();
                finish(conn, commitIf);
                return rows;
            } catch (Exception e) {
                conn.rollback();
                throw e;
            }
        }
    }

    private static void finish(Connection conn, Check commitIf) throws Exception {
        if (commitIf.ok()) {
            conn.commit();
        } else {
            conn.rollback();
        }
    }

    private static CopyManager manager(Connection conn) throws SQLException {
        return conn.unwrap(PGConnection.class).getCopyAPI();
    }
}
