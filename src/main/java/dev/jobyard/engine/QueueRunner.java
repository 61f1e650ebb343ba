package dev.jobyard.engine;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import org.jboss.logging.Logger;

import dev.jobyard.job.ClaimedJob;

/**
 * One queue on this replica: a fetch loop that claims jobs in batches, in one statement each, and a
 * fixed pool of {@code concurrency} worker threads that run them. Claimed jobs may also wait for a
 * thread, as many as the {@link PrefetchBudget} allows (they hold their lease meanwhile, and are
 * handed back on shutdown). The loop sleeps until woken (a notification, a timer for a delayed job, a
 * freed worker after a full claim) or the fallback poll.
 */
final class QueueRunner {

    private static final Logger LOG = Logger.getLogger(QueueRunner.class);
    // Nothing signals the completer catching up; a held-back fetcher looks again this often.
    private static final long HELD_BACK_RECHECK_MILLIS = 5;

    private final String queue;
    private final int concurrency;
    private final int claimBatchSize;
    private final PrefetchBudget prefetch;
    // Fetcher thread only: the budget read by the last room check, used for the claim that follows,
    // and whether that check held claims back because results are not being written fast enough.
    private int allowance;
    private boolean heldBack;
    private final Duration pollInterval;
    private final Function<Integer, List<ClaimedJob>> claimer;
    private final BooleanSupplier resultsKeepUp;
    // Makes a claimed job's run; given when the claim was sent, which its lease is counted from.
    private final BiFunction<ClaimedJob, Long, Runnable> executionFactory;
    private final ExecutorService workers;
    private final AtomicInteger running = new AtomicInteger();
    private final Object monitor = new Object();
    private final Thread fetcher;
    private boolean wakeRequested = true;
    private volatile boolean stopping;

    QueueRunner(String queue, int concurrency, int claimBatchSize, PrefetchBudget prefetch, Duration pollInterval,
            Function<Integer, List<ClaimedJob>> claimer, BiFunction<ClaimedJob, Long, Runnable> executionFactory,
            BooleanSupplier resultsKeepUp) {
        this.queue = queue;
        this.concurrency = concurrency;
        this.claimBatchSize = Math.max(1, claimBatchSize);
        this.prefetch = prefetch;
        this.pollInterval = pollInterval;
        this.claimer = claimer;
        this.resultsKeepUp = resultsKeepUp;
        this.executionFactory = executionFactory;
        AtomicInteger n = new AtomicInteger();
        // Waiting jobs are ordered as the claim orders them (see ClaimedRun).
        this.workers = new ThreadPoolExecutor(concurrency, concurrency, 0L, TimeUnit.MILLISECONDS,
                new PriorityBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "jobyard-" + queue + "-worker-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.fetcher = new Thread(this::loop, "jobyard-" + queue + "-fetcher");
        this.fetcher.setDaemon(true);
    }

    String queue() {
        return queue;
    }

    int concurrency() {
        return concurrency;
    }

    int running() {
        return running.get();
    }

    void start() {
        fetcher.start();
    }

    /** Something may be runnable now: claim as soon as a worker is idle. */
    void wake() {
        synchronized (monitor) {
            wakeRequested = true;
            monitor.notifyAll();
        }
    }

    /** Called by a worker thread when its job is done. */
    void jobExited() {
        running.decrementAndGet();
        prefetch.jobFinished();
        synchronized (monitor) {
            monitor.notifyAll();
        }
    }

    /**
     * Takes up to {@code max} idle worker threads for jobs about to be created already claimed (see
     * StartAtCreate); returns how many. Prefetched jobs count as busy threads, so this never overtakes them.
     */
    int reserveIdle(int max) {
        while (!stopping) {
            int now = running.get();
            int take = Math.min(max, concurrency - now);
            if (take <= 0) {
                return 0;
            }
            if (running.compareAndSet(now, now + take)) {
                return take;
            }
        }
        return 0;
    }

    /** Runs a job inserted already claimed on a thread taken by {@link #reserveIdle}; its lease counts from {@code leaseSince}. */
    void startReserved(ClaimedJob job, long leaseSince) {
        workers.execute(new ClaimedRun(job, executionFactory.apply(job, leaseSince)));
    }

    /** Gives back threads taken by {@link #reserveIdle} that no job used. */
    void releaseReserved(int count) {
        if (count > 0) {
            running.addAndGet(-count);
            synchronized (monitor) {
                monitor.notifyAll();
            }
        }
    }

    /** Stops claiming; running jobs go on until the pool is shut down. */
    void stopClaiming() {
        stopping = true;
        wake();
    }

    ExecutorService workers() {
        return workers;
    }

    /**
     * Room for a claim: without a prefetch budget, whenever a worker is idle; with one, once half a
     * batch fits, so each claim of a backlog takes a large batch and lands before the waiting jobs run
     * out. Jobs announced as newly runnable (a released dependent, a new job) are claimed as soon as
     * anything fits: they overtake the waiting batch (see ClaimedRun) instead of queueing behind it.
     * Never while the completer is behind.
     */
    private boolean hasRoom() {
        // A worker thread is free once its handler returns, but the job stays RUNNING until the completer
        // writes its result: claiming on while results pile up would grow the running set without bound.
        heldBack = !resultsKeepUp.getAsBoolean();
        if (heldBack) {
            return false;
        }
        allowance = prefetch.allowance();
        int room = concurrency + allowance - running.get();
        int threshold = allowance == 0 || wakeRequested ? 1
                : Math.max(1, Math.min(claimBatchSize, concurrency + allowance) / 2);
        return room >= threshold;
    }

    private void loop() {
        // After a claim that got all it asked for, more jobs are likely waiting: claim again as soon
        // as a worker is idle, without waiting for a notification.
        boolean lastClaimWasFull = false;
        long pollNanos = pollInterval.toNanos();
        long lastClaim = System.nanoTime();
        while (!stopping) {
            synchronized (monitor) {
                while (!stopping && !(hasRoom() && (wakeRequested || lastClaimWasFull))) {
                    long untilPoll = pollNanos - (System.nanoTime() - lastClaim);
                    if (untilPoll <= 0) {
                        wakeRequested = true; // fallback poll, for a notification that never came
                        if (hasRoom()) {
                            continue;
                        }
                        untilPoll = pollNanos; // every worker busy: wait for one to free up
                    }
                    try {
                        long waitMillis = Math.max(1, untilPoll / 1_000_000);
                        monitor.wait(heldBack ? Math.min(waitMillis, HELD_BACK_RECHECK_MILLIS) : waitMillis);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                wakeRequested = false;
            }
            if (stopping) {
                return;
            }
            lastClaim = System.nanoTime();
            int want = Math.min(concurrency + allowance - running.get(), claimBatchSize);
            try {
                // Before sending: the database's now() that starts the leases is no earlier than this.
                long sent = System.nanoTime();
                List<ClaimedJob> claimed = claimer.apply(want);
                lastClaimWasFull = claimed.size() == want;
                for (ClaimedJob job : claimed) {
                    running.incrementAndGet();
                    workers.execute(new ClaimedRun(job, executionFactory.apply(job, sent)));
                }
            } catch (RuntimeException e) {
                LOG.warnf("Claiming from queue %s failed (%s); retrying in 1s", queue, e.getMessage());
                lastClaimWasFull = false;
                synchronized (monitor) {
                    wakeRequested = true;
                    try {
                        monitor.wait(1000);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }
    }
}
