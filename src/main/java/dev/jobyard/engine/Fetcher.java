package dev.jobyard.engine;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

/**
 * One thread that claims for one or more queues. Each {@link QueueRunner} says, when asked, how long
 * it can wait before it wants to be asked again; the thread sleeps for the shortest of those, or until
 * a runner signals (a wake-up, a freed worker). A configured queue has a fetcher of its own; all the
 * queues that were not configured share one, so 2,000 queue names cost one thread, not 2,000.
 */
final class Fetcher {

    /** Work the thread does before each round (the shared fetcher's admission and retirement of queues). */
    interface Round {
        /** Returns how long the thread may sleep before the next round as far as this work is concerned. */
        long beforeRound();
    }

    private static final Logger LOG = Logger.getLogger(Fetcher.class);
    private static final Round NOTHING = () -> Long.MAX_VALUE;

    private final List<QueueRunner> runners = new CopyOnWriteArrayList<>();
    private final Round round;
    private final Object monitor = new Object();
    private final Thread thread;
    // Set by signal() under the monitor; cleared at the start of each round, so a signal that comes while
    // the runners are being asked is not lost.
    private boolean signalled;
    private volatile boolean stopped;

    Fetcher(String name, Round round) {
        this.round = round == null ? NOTHING : round;
        this.thread = new Thread(this::loop, name);
        this.thread.setDaemon(true);
    }

    Fetcher(String name) {
        this(name, null);
    }

    void start() {
        thread.start();
    }

    void add(QueueRunner runner) {
        runners.add(runner);
        signal();
    }

    void remove(QueueRunner runner) {
        runners.remove(runner);
    }

    List<QueueRunner> runners() {
        return runners;
    }

    /** Some runner may want to claim now. */
    void signal() {
        synchronized (monitor) {
            signalled = true;
            monitor.notifyAll();
        }
    }

    void stop() {
        stopped = true;
        signal();
    }

    private void loop() {
        while (!stopped) {
            synchronized (monitor) {
                signalled = false;
            }
            long waitNanos;
            try {
                waitNanos = round.beforeRound();
                for (QueueRunner runner : runners) {
                    if (stopped) {
                        return;
                    }
                    waitNanos = Math.min(waitNanos, runner.fetch());
                }
            } catch (RuntimeException e) {
                // The thread serves other queues too: it must outlive any one failure.
                LOG.warnf(e, "Fetcher %s failed (%s); it goes on in 1s", thread.getName(), e.getMessage());
                waitNanos = TimeUnit.SECONDS.toNanos(1);
            }
            synchronized (monitor) {
                if (stopped) {
                    return;
                }
                if (!signalled && waitNanos > 0) {
                    try {
                        long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(waitNanos, TimeUnit.MINUTES.toNanos(1))));
                        monitor.wait(millis);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }
    }
}
