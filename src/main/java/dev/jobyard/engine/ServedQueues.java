package dev.jobyard.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

import org.jboss.logging.Logger;

/**
 * The queues this replica serves, and how it finds them. A configured queue ({@code jobyard.queues.<name>},
 * and {@code default}) always has a runner with a fetcher thread of its own. Any other queue a job names is
 * served on demand, by one fetcher thread shared by all of them, and at most
 * {@code jobyard.worker.max-unconfigured-queues} at a time: a queue that has had nothing to do for
 * {@code jobyard.worker.queue-idle-timeout} gives its place (and its threads) back at once, and an idle one
 * gives its place to a queue that is waiting for one. Queues wait in arrival order while every place is
 * busy. Queues are found by their notifications (a job became runnable), by timers of delayed jobs, and,
 * for notifications that were missed, by a skip scan of the runnable index at start-up, after LISTEN
 * reconnects and every {@code jobyard.worker.queue-discovery-interval}.
 */
final class ServedQueues {

    private static final Logger LOG = Logger.getLogger(ServedQueues.class);
    // Names remembered while every place is busy; beyond that a discovery scan finds the rest later.
    static final int MAX_WAITING = 10_000;
    private static final int DISCOVERY_BATCH = 1_000;

    private final Set<String> configured;
    private final int maxUnconfigured;
    private final long idleNanos;
    private final long discoveryNanos;
    private final BiFunction<String, Fetcher, QueueRunner> newRunner;
    private final BiFunction<String, Integer, List<String>> runnableQueues;
    private final Map<String, QueueRunner> active = new ConcurrentHashMap<>();
    private final Map<String, Fetcher> ownFetchers = new ConcurrentHashMap<>();
    private final Fetcher shared;
    // Unconfigured queues waiting for a place, oldest first. Guarded by itself.
    private final LinkedHashSet<String> waiting = new LinkedHashSet<>();
    private volatile boolean discoveryRequested = true;
    // A queue asked for a place while too many waited already.
    private volatile boolean missedWaiting;
    // Shared fetcher thread only.
    private long nextDiscovery;
    private String discoveredUpTo = "";

    /**
     * @param newRunner      makes the runner of a queue, fed by the given fetcher
     * @param runnableQueues queues with a job ready now: (after this name, at most this many)
     */
    ServedQueues(Collection<String> configured, int maxUnconfigured, Duration idleTimeout, Duration discoveryInterval,
            BiFunction<String, Fetcher, QueueRunner> newRunner, BiFunction<String, Integer, List<String>> runnableQueues) {
        this.configured = Set.copyOf(configured);
        this.maxUnconfigured = Math.max(1, maxUnconfigured);
        this.idleNanos = idleTimeout.toNanos();
        this.discoveryNanos = discoveryInterval.toNanos();
        this.newRunner = newRunner;
        this.runnableQueues = runnableQueues;
        this.shared = new Fetcher("jobyard-shared-fetcher", this::beforeRound);
    }

    /** Starts the configured queues and the shared fetcher, which looks for queues with work at once. */
    void start() {
        for (String queue : configured) {
            Fetcher own = new Fetcher("jobyard-" + queue + "-fetcher");
            QueueRunner runner = newRunner.apply(queue, own);
            active.put(queue, runner);
            ownFetchers.put(queue, own);
            own.add(runner);
            own.start();
        }
        shared.start();
    }

    /** Something in {@code queue} may be runnable now. */
    void wake(String queue) {
        QueueRunner runner = active.get(queue);
        if (runner != null) {
            runner.wake();
            // Retired meanwhile (see retire): the queue asks for a place again.
            if (!runner.isStopping() || configured.contains(queue)) {
                return;
            }
        }
        synchronized (waiting) {
            if (waiting.size() < MAX_WAITING) {
                waiting.add(queue);
            } else {
                missedWaiting = true; // found by a scan once the waiting ones have their places
            }
        }
        shared.signal();
    }

    /** Every served queue may have work (LISTEN reconnected): wake them, and look for the others. */
    void wakeAll() {
        active.values().forEach(QueueRunner::wake);
        discoveryRequested = true;
        shared.signal();
    }

    /** The runner of {@code queue} if this replica serves it right now. */
    QueueRunner runner(String queue) {
        return active.get(queue);
    }

    Collection<QueueRunner> runners() {
        return active.values();
    }

    /** The queues served now, with their concurrency. */
    Map<String, Integer> concurrencies() {
        Map<String, Integer> result = new TreeMap<>();
        active.forEach((name, runner) -> result.put(name, runner.concurrency()));
        return result;
    }

    /** How many unconfigured queues wait for a place. */
    int waitingCount() {
        synchronized (waiting) {
            return waiting.size();
        }
    }

    void stopClaiming() {
        active.values().forEach(QueueRunner::stopClaiming);
        shared.stop();
        ownFetchers.values().forEach(Fetcher::stop);
    }

    void shutdownNow() {
        active.values().forEach(r -> r.workers().shutdownNow());
    }

    // ---- the shared fetcher's thread ----

    private long beforeRound() {
        long now = System.nanoTime();
        if (discoveryRequested || now - nextDiscovery >= 0) {
            discover(now);
        }
        admitWaiting();
        long nextIdleCheck = Long.MAX_VALUE;
        for (QueueRunner runner : shared.runners()) {
            if (runner.idleFor(idleNanos, now)) {
                retire(runner);
            } else {
                // Look again when it could have been idle long enough.
                nextIdleCheck = Math.min(nextIdleCheck, Math.max(idleNanos / 4, 1_000_000L));
            }
        }
        return Math.min(nextIdleCheck, Math.max(0, nextDiscovery - now));
    }

    /** Places waiting queues, taking the place of an idle queue when all are taken. */
    private void admitWaiting() {
        List<String> next;
        synchronized (waiting) {
            if (waiting.isEmpty()) {
                if (missedWaiting) {
                    missedWaiting = false;
                    discoveryRequested = true;
                }
                return;
            }
            next = new ArrayList<>(waiting);
        }
        for (String queue : next) {
            QueueRunner current = active.get(queue);
            if (current != null) {
                current.wake();
            } else if (!place(queue)) {
                return; // every place busy: the rest keep waiting, in order
            }
            synchronized (waiting) {
                waiting.remove(queue);
            }
        }
    }

    private boolean place(String queue) {
        if (shared.runners().size() >= maxUnconfigured) {
            QueueRunner idlest = null;
            long now = System.nanoTime();
            for (QueueRunner runner : shared.runners()) {
                if (runner.idleFor(0, now) && (idlest == null || runner.lastActive() < idlest.lastActive())) {
                    idlest = runner;
                }
            }
            if (idlest == null) {
                return false;
            }
            retire(idlest);
        }
        QueueRunner runner = newRunner.apply(queue, shared);
        active.put(queue, runner);
        shared.add(runner);
        return true;
    }

    private void retire(QueueRunner runner) {
        runner.stopClaiming();
        active.remove(runner.queue(), runner);
        shared.remove(runner);
        runner.workers().shutdown();
        // A wake-up that came between the idle check and stopClaiming (see wake) asks for a new place.
        if (runner.wokenSinceIdle()) {
            synchronized (waiting) {
                waiting.add(runner.queue());
            }
        }
        LOG.debugf("Queue %s is idle; its place and threads are given back", runner.queue());
    }

    private void discover(long now) {
        discoveryRequested = false;
        nextDiscovery = now + discoveryNanos;
        try {
            List<String> found = runnableQueues.apply(discoveredUpTo, DISCOVERY_BATCH);
            // The next scan goes on after the last name found, so that many queues get their turn.
            discoveredUpTo = found.size() < DISCOVERY_BATCH ? "" : found.get(found.size() - 1);
            synchronized (waiting) {
                for (String queue : found) {
                    if (!active.containsKey(queue) && waiting.size() < MAX_WAITING) {
                        waiting.add(queue);
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.debugf("Queue discovery failed (%s)", e.getMessage());
        }
    }
}
