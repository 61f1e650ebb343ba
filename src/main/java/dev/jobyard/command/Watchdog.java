package dev.jobyard.command;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.jobyard.handler.JobContext;

/**
 * Stops work that thread interruption does not reach (a blocked socket read, a COPY waiting on the
 * server, a pipe to a program): a daemon thread that runs {@code onStop} once, when the attempt is
 * stopped (timeout, cancel, lease lost, shutdown) or when an own deadline passes, whichever is first,
 * and never after {@link #close()} returned.
 */
public final class Watchdog implements AutoCloseable {

    private static final long POLL_MILLIS = 100;

    private final Thread thread;
    private final AtomicBoolean fired = new AtomicBoolean();
    private volatile boolean deadlinePassed;
    private volatile boolean closed;

    private Watchdog(String name, JobContext context, long deadlineNanos, Runnable onStop) {
        this.thread = new Thread(() -> {
            try {
                while (!closed) {
                    boolean late = System.nanoTime() - deadlineNanos >= 0;
                    if (context.isCancelled() || late) {
                        deadlinePassed = late && !context.isCancelled();
                        synchronized (this) {
                            // Under the lock with close(): onStop never runs once the work has ended.
                            if (!closed && fired.compareAndSet(false, true)) {
                                onStop.run();
                            }
                        }
                        return;
                    }
                    Thread.sleep(POLL_MILLIS);
                }
            } catch (InterruptedException e) {
                // Closed: the work ended first.
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Watches until {@link #close()}; {@code timeoutNanos} of 0 or less means the attempt's own stop only. */
    public static Watchdog watch(String name, JobContext context, long timeoutNanos, Runnable onStop) {
        long deadline = System.nanoTime() + (timeoutNanos > 0 ? timeoutNanos : TimeUnit.DAYS.toNanos(3650));
        return new Watchdog(name, context, deadline, onStop);
    }

    /** Whether {@code onStop} ran because the own deadline passed (not because the attempt was stopped). */
    public boolean deadlinePassed() {
        return deadlinePassed;
    }

    public boolean fired() {
        return fired.get();
    }

    /** Ends the watch; if {@code onStop} is running, waits for it to finish. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        thread.interrupt();
    }
}
