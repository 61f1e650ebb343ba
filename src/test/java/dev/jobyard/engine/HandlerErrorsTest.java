package dev.jobyard.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

/** A job's error is its handler's message, without the classes the exception passed through. */
class HandlerErrorsTest {

    @Test
    void theMessageIsKeptAndTheClassDropped() {
        assertEquals("disk full", HandlerErrors.describe(new IllegalStateException("disk full")));
    }

    @Test
    void aWrapperShowsItsCausesMessageWithoutTheCausesClass() {
        Exception psql = new RuntimeException("org.postgresql.util.PSQLException: ERROR: relation \"t\" does not exist");

        assertEquals("ERROR: relation \"t\" does not exist", HandlerErrors.describe(new CompletionException(psql)));
        assertEquals("connection reset",
                HandlerErrors.describe(new RuntimeException(new java.io.IOException("connection reset"))));
    }

    @Test
    void aMessageThatOnlyMentionsAnExceptionIsLeftAlone() {
        assertEquals("the Exception: of the rule", HandlerErrors.describe(new IllegalStateException("the Exception: of the rule")));
    }

    @Test
    void anExceptionWithoutAMessageSaysSoWithoutItsClass() {
        assertEquals("the handler failed without a message", HandlerErrors.describe(new NullPointerException()));
    }
}
