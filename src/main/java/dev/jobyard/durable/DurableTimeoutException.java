package dev.jobyard.durable;

/**
 * Thrown by {@link DurableContext#invoke}, {@link DurableContext#waitForEvent} and
 * {@link DurableContext#waitForDbChange} when the wait passed its timeout. The code may catch it; uncaught, it
 * fails the attempt like any exception (and on every replay the primitive throws it again, since the timeout
 * is saved under the key like a result). An invoke that timed out has had its child cancelled.
 */
public class DurableTimeoutException extends Exception {

    private final String key;

    public DurableTimeoutException(String key, String what) {
        super("'" + key + "' timed out waiting for " + what);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
