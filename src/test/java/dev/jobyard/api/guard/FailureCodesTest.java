package dev.jobyard.api.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

import dev.jobyard.common.BadInputException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

/** A failure the caller cannot act on gets one of two documented codes, never an exception's class name. */
class FailureCodesTest {

    @Test
    void theDatabaseOutOfReachIsUnavailable() {
        assertEquals("UNAVAILABLE", FailureCodes.codeOf(new CompletionException(new ConnectException("Connection refused"))));
        assertEquals("UNAVAILABLE", FailureCodes.codeOf(ClosedConnectionException.INSTANCE));
        assertEquals("UNAVAILABLE", FailureCodes.codeOf(
                new PgException("terminating connection due to administrator command", "FATAL", "57P01", null)));
        assertEquals("UNAVAILABLE", FailureCodes.codeOf(
                new IllegalStateException("Connection is not active now, current status: CLOSED")));
    }

    @Test
    void anythingElseIsInternal() {
        assertEquals("INTERNAL", FailureCodes.codeOf(
                new PgException("unsupported Unicode escape sequence", "ERROR", "22P05", null)));
        assertEquals("INTERNAL", FailureCodes.codeOf(new NullPointerException()));
        assertEquals("System error", FailureCodes.messageOf("INTERNAL"));
    }

    @Test
    void jobyardsOwnRejectionsKeepTheirCodes() {
        assertTrue(FailureCodes.isOwn(new CompletionException(new BadInputException("input.queue", "too long"))));
        assertFalse(FailureCodes.isOwn(new IllegalStateException("boom")));
    }
}
