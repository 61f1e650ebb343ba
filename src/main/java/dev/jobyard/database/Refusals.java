package dev.jobyard.database;

import java.util.Set;

import io.vertx.core.json.EncodeException;
import io.vertx.pgclient.PgException;

/**
 * Tells a write that PostgreSQL refused because of what it holds (the same write fails again, however
 * often it is tried) from one that failed because of the moment (the database is away, a deadlock, a
 * timeout), which is worth trying again.
 */
public final class Refusals {

    // SQLSTATE classes of errors that the data causes: data exception, integrity constraint violation,
    // program limit exceeded (a value too large), and an error raised by a function or trigger.
    private static final Set<String> DATA_CLASSES = Set.of("22", "23", "54", "P0");

    private Refusals() {
    }

    /** Whether {@code failure} (or a cause) is a refusal of the data written; false for anything transient. */
    public static boolean refusesData(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PgException pg) {
                String state = pg.getSqlState();
                return state != null && state.length() == 5 && DATA_CLASSES.contains(state.substring(0, 2));
            }
            if (t instanceof EncodeException) {
                return true; // the value cannot even be written as JSON (too deep, say)
            }
        }
        return false;
    }

    /** The database's own words for a failure: its message and SQLSTATE, without the client's class names. */
    public static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PgException pg) {
                return pg.getErrorMessage() + " (SQLSTATE " + pg.getSqlState() + ")";
            }
        }
        return String.valueOf(failure.getMessage());
    }
}
