package dev.jobyard.api.guard;

import java.net.ConnectException;
import java.net.SocketException;

import dev.jobyard.common.JobyardException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

/**
 * The code and message of a resolver failure that is not one of Jobyard's own rejections. The extension would
 * name it after the exception's class ({@code pg}, {@code annotated-connect}, {@code closed-connection}), which a
 * client cannot act on and which tells an attacker what runs inside. Two documented codes instead:
 * UNAVAILABLE when the database could not be reached (retry, with the same idempotency key), INTERNAL otherwise.
 */
final class FailureCodes {

    static final String UNAVAILABLE = "UNAVAILABLE";
    static final String INTERNAL = "INTERNAL";
    static final String UNAVAILABLE_MESSAGE = "The database cannot be reached right now; try again (a retried "
            + "createJob or createJobs with the same idempotencyKey creates nothing twice)";
    static final String INTERNAL_MESSAGE = "System error";

    private FailureCodes() {
    }

    /** Whether {@code failure} is one of Jobyard's own rejections, which carry a documented code already. */
    static boolean isOwn(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JobyardException) {
                return true;
            }
        }
        return false;
    }

    static String codeOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof SocketException || t instanceof ClosedConnectionException
                    || (t instanceof PgException pg && pg.getSqlState() != null && isConnectionState(pg.getSqlState()))
                    || (t.getMessage() != null && t.getMessage().startsWith("Connection is not active"))) {
                return UNAVAILABLE;
            }
        }
        return INTERNAL;
    }

    static String messageOf(String code) {
        return UNAVAILABLE.equals(code) ? UNAVAILABLE_MESSAGE : INTERNAL_MESSAGE;
    }

    // 08: connection exceptions; 57P01-57P03: the server is shutting down, crashed or not yet accepting connections.
    private static boolean isConnectionState(String sqlState) {
        return sqlState.startsWith("08") || sqlState.equals("57P01") || sqlState.equals("57P02")
                || sqlState.equals("57P03");
    }
}
