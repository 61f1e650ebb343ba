package dev.jobyard.engine;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;

/**
 * The error a job shows when its handler threw: the exception's message, without the names of the
 * classes it passed through ({@code PSQLException: …}, {@code java.io.IOException: …}), which say nothing
 * to an API caller and tell an attacker what runs inside.
 */
final class HandlerErrors {

    // A leading "some.package.SomeException: " or "SomeError: ", as wrappers put their cause's toString() in their message.
    private static final Pattern CLASS_PREFIX = Pattern.compile(
            "^(?:(?:[a-z_$][\\w$]*\\.)+)?[A-Z][\\w$]*(?:Exception|Error|Throwable)(?:\\$[\\w$]+)?: ");

    private HandlerErrors() {
    }

    static String describe(Throwable thrown) {
        Throwable t = thrown;
        // Wrappers say nothing of their own: their message is their cause's toString().
        while ((t instanceof CompletionException || t instanceof ExecutionException
                || t instanceof java.lang.reflect.UndeclaredThrowableException
                || t instanceof java.lang.reflect.InvocationTargetException) && t.getCause() != null) {
            t = t.getCause();
        }
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return "the handler failed without a message";
        }
        String previous;
        do {
            previous = message;
            message = CLASS_PREFIX.matcher(message).replaceFirst("");
        } while (!message.equals(previous) && !message.isBlank());
        return message.isBlank() ? previous : message;
    }
}
