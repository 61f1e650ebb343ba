package dev.jobyard.engine;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import org.jboss.logging.Logger;

import dev.jobyard.job.ClaimedJob;

/**
 * One queue on this replica: claims jobs in batches, in one statement each, when its {@link Fetcher}
 * asks, and runs them on a pool of at most {@code concurrency} worker threads. Claimed jobs may also
 * wait for a thread, as many as the {@link PrefetchBudget} allows (they hold their lease meanwhile, and
 * are handed back on shutdown). The fetcher asks again when woken (a notification, a timer for a delayed
 * job, a freed worker after a full claim) or at the fallback poll. Worker threads left idle for the
 * keep-alive end, so a quiet queue holds no thread of its own.
 */
final class QueueRunner {

    private static final Logger LOG = Logger.getLogger(QueueRunner.class);
    // Nothing signals the completer catching up; a held-back fetcher looks again this often.
    private static final long HELD_BACK_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

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
    private final ExecutionFactory executionFactory;
    private final ThreadPoolExecutor workers;
    private final AtomicInteger running = new AtomicInteger();
    private final Fetcher fetcher;
    private final AtomicBoolean wakeRequested = new AtomicBoolean(true);
    private volatile boolean stopping;
    // Fetcher thread only: the last claim's time and whether it got all it asked for, when a failed claim
    // may be tried again, and whether the last claim left nothing behind (it got less than it asked for).
    private long lastClaim = System.nanoTime();
    private boolean lastClaimWasFull;
    private long retryAt;
    private boolean drained;
    // When the queue last claimed or finished a job.
    private volatile long lastActive = System.nanoTime();

    QueueRunner(String queue, int concurrency, int claimBatchSize, PrefetchBudget prefetch, Duration pollInterval,
            Duration threadKeepAlive, Fetcher fetcher, Function<Integer, List<ClaimedJob>> claimer,
            ExecutionFactory executionFactory, BooleanSupplier resultsKeepUp) {
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
        this.workers = new ThreadPoolExecutor(concurrency, concurrency, Math.max(1, threadKeepAlive.toMillis()),
                TimeUnit.MILLISECONDS, new PriorityBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "jobyard-" + queue + "-worker-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        // An idle queue gives its threads back; the next job starts a new one.
        this.workers.allowCoreThreadTimeOut(true);
        this.fetcher = fetcher;
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

    /** Something may be runnable now: claim as soon as a worker is idle. */
    void wake() {
        wakeRequested.set(true);
        fetcher.signal();
    }

    /** Called by a worker thread when its job is done. */
    void jobExited() {
        lastActive = System.nanoTime();
        running.decrementAndGet();
        prefetch.jobFinished();
        fetcher.signal();
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
        workers.execute(new ClaimedRun(job, executionFactory.make(this, job, leaseSince)));
    }

    /** Gives back threads taken by {@link #reserveIdle} that no job used. */
    void releaseReserved(int count) {
        if (count > 0) {
            running.addAndGet(-count);
            fetcher.signal();
        }
    }

    /** Stops claiming; running jobs go on until the pool is shut down. */
    void stopClaiming() {
        stopping = true;
        wake();
    }

    boolean isStopping() {
        return stopping;
    }

    /** Whether a wake-up came after the last claim (it may have come while the queue was being retired). */
    boolean wokenSinceIdle() {
        return wakeRequested.get();
    }

    /** When (System.nanoTime) the queue last claimed or finished a job. */
    long lastActive() {
        return lastActive;
    }

    /**
     * Fetcher thread only: whether the queue has had nothing to do for at least {@code nanos}: its last claim
     * took every job ready then, none of its jobs runs or waits for a thread, and no wake-up (a job that became
     * ready since) came. Such a queue may give its place to another.
     */
    boolean idleFor(long nanos, long now) {
        return drained && running.get() == 0 && !wakeRequested.get() && now - lastActive >= nanos;
    }

    ThreadPoolExecutor workers() {
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
        int threshold = allowance == 0 || wakeRequested.get() ? 1
                : Math.max(1, Math.min(claimBatchSize, concurrency + allowance) / 2);
        return room >= threshold;
    }

    /**
     * Fetcher thread only: claims if there is room and a reason (a wake-up, a full last claim, the fallback
     * poll); returns how many nanoseconds may pass before it wants to be asked again (0: at once).
     */
    long fetch() {
        if (stopping) {
            return Long.MAX_VALUE;
        }
        long now = System.nanoTime();
        if (now < retryAt) {
            return retryAt - now;
        }
        long pollNanos = pollInterval.toNanos();
        // After a claim that got all it asked for, more jobs are likely waiting: claim again as soon as a
        // worker is idle, without waiting for a notification.
        if (!(hasRoom() && (wakeRequested.get() || lastClaimWasFull))) {
            long untilPoll = pollNanos - (now - lastClaim);
            if (untilPoll > 0) {
                return heldBack ? Math.min(untilPoll, HELD_BACK_RECHECK_NANOS) : untilPoll;
            }
            wakeRequested.set(true); // fallback poll, for a notification that never came
            if (!hasRoom()) {
                return heldBack ? HELD_BACK_RECHECK_NANOS : pollNanos; // every worker busy: wait for one to free up
            }
        }
        // Cleared before the claim: a wake-up that comes during it asks for another.
        wakeRequested.set(false);
        lastClaim = now;
        int want = Math.min(concurrency + allowance - running.get(), claimBatchSize);
        try {
            // Before sending: the database's now() that starts the leases is no earlier than this.
            long sent = System.nanoTime();
            List<ClaimedJob> claimed = claimer.apply(want);
            lastClaimWasFull = claimed.size() == want;
            drained = !lastClaimWasFull;
            lastActive = now;
            for (ClaimedJob job : claimed) {
                running.incrementAndGet();
                workers.execute(new ClaimedRun(job, executionFactory.make(this, job, sent)));
            }
            return 0;
        } catch (RuntimeException e) {
            LOG.warnf("Claiming from queue %s failed (%s); retrying in 1s", queue, e.getMessage());
            lastClaimWasFull = false;
            drained = false;
            wakeRequested.set(true);
            retryAt = now + RETRY_NANOS;
            return RETRY_NANOS;
        }
    }

    /** Makes the run of a job this queue claimed; {@code leaseSince} (System.nanoTime) is when the claim was sent. */
    @FunctionalInterface
    interface ExecutionFactory {
        Runnable make(QueueRunner runner, ClaimedJob job, long leaseSince);
    }
}
