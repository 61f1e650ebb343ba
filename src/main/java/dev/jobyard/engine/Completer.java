package dev.jobyard.engine;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import dev.jobyard.database.Refusals;
import dev.jobyard.database.Sql;
import dev.jobyard.job.Fence;

/**
 * Collects finished attempts and writes them in batches on one thread, so that under load many
 * results share one transaction. Successes that release dependents are written first, in small
 * transactions: a dependent can start only when its dependency's transaction commits, so it must not
 * wait behind a large batch of results nobody waits for.
 * <p>
 * A batch that PostgreSQL refuses for what it holds is written again one result at a time: a result
 * that is refused alone ends its own attempt as failed ("result could not be stored: …", retried while
 * attempts remain), and the others are written normally. A batch that fails for the moment (the
 * database is away) is kept and tried again. A result that has waited longer than a lease while its
 * writes fail is no longer kept alive by lease renewal: the rescuer decides, and the late write is
 * fenced off. Results waiting longer than a lease make the replica unready ({@link #backlog()}).
 */
final class Completer {

    private static final Logger LOG = Logger.getLogger(Completer.class);
    // How soon an idle completer notices drainAndStop; it is not interrupted (see there).
    private static final long IDLE_POLL_MILLIS = 100;
    private static final long RETRY_MILLIS = 500;

    /** A submitted result and when it was submitted ({@link System#nanoTime()}). */
    private record Waiting(Outcome outcome, long since) {
    }

    // Submitted results arrive here; the completer thread sorts them into the two queues below.
    private final LinkedBlockingQueue<Waiting> arrivals = new LinkedBlockingQueue<>();
    private final Queue<Waiting> releasing = new ConcurrentLinkedQueue<>();
    private final Queue<Waiting> others = new ConcurrentLinkedQueue<>();
    // Results submitted and not yet written (arrived, sorted or in flight).
    private final AtomicInteger unwritten = new AtomicInteger();
    private final Sql sql;
    private final OutcomeWriter writer;
    private final int batchSize;
    private final int releaseBatchSize;
    private final long leaseNanos;
    // The batch being written, for lease renewal: its jobs still hold leases until it commits.
    private volatile List<Waiting> inFlight = List.of();
    // Since when (nanoTime) writes of the batch in flight have failed, and why; 0 while they succeed.
    private volatile long failingSince;
    private volatile String lastFailure;
    private final Thread thread;
    private volatile boolean stopping;

    Completer(Sql sql, OutcomeWriter writer, int batchSize, int releaseBatchSize, long leaseMillis) {
        this(sql, writer, batchSize, releaseBatchSize, leaseMillis, "jobyard-completer");
    }

    Completer(Sql sql, OutcomeWriter writer, int batchSize, int releaseBatchSize, long leaseMillis, String threadName) {
        this.sql = sql;
        this.writer = writer;
        this.batchSize = Math.max(1, batchSize);
        this.releaseBatchSize = Math.max(1, releaseBatchSize);
        this.leaseNanos = TimeUnit.MILLISECONDS.toNanos(leaseMillis);
        this.thread = new Thread(this::loop, threadName);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * Fences of results not written yet. Their leases must be renewed until they are: a backlog older
     * than the lease would otherwise be rescued and run again. Not so for results that have waited
     * longer than a lease while their writes fail: renewing those would keep their jobs RUNNING forever.
     */
    List<Fence> unwrittenFences() {
        // Read in the order results move (arrivals, then sorted, then in flight), so none is passed over.
        List<Fence> fences = new ArrayList<>();
        arrivals.forEach(w -> fences.add(w.outcome().fence()));
        releasing.forEach(w -> fences.add(w.outcome().fence()));
        others.forEach(w -> fences.add(w.outcome().fence()));
        boolean failing = failingSince != 0;
        long now = System.nanoTime();
        for (Waiting w : inFlight) {
            if (!failing || now - w.since() < leaseNanos) {
                fences.add(w.outcome().fence());
            }
        }
        return fences;
    }

    /** Results submitted and not yet written (see {@link Completers#keepsUp}). */
    int unwrittenCount() {
        return unwritten.get();
    }

    int batchSize() {
        return batchSize;
    }

    /** Results that have waited longer than a lease to be written, the oldest one's wait, and the last write error. */
    ResultBacklog backlog() {
        long now = System.nanoTime();
        int overdue = 0;
        long oldest = 0;
        for (java.util.Collection<Waiting> waiting : List.of(arrivals, releasing, others, inFlight)) {
            for (Waiting w : waiting) {
                oldest = Math.max(oldest, now - w.since());
                overdue += now - w.since() >= leaseNanos ? 1 : 0;
            }
        }
        return new ResultBacklog(unwritten.get(), overdue, TimeUnit.NANOSECONDS.toMillis(oldest),
                failingSince == 0 ? null : lastFailure);
    }

    void submit(Outcome outcome) {
        unwritten.incrementAndGet();
        arrivals.add(new Waiting(outcome, System.nanoTime()));
    }

    /** Writes everything submitted so far, then stops; waits at most {@code millis}. */
    void drainAndStop(long millis) {
        stop();
        awaitStopped(millis);
    }

    /** Asks the thread to stop once everything submitted so far is written. */
    void stop() {
        // No interrupt: it would abort the write in flight (the hand-backs of a shutdown, typically), which
        // then failed with an InterruptedException and was retried, or fenced off if its commit had landed.
        stopping = true;
    }

    /** Waits at most {@code millis} for the thread to stop. */
    void awaitStopped(long millis) {
        try {
            thread.join(Math.max(1, millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        List<Waiting> batch = new ArrayList<>(batchSize);
        while (true) {
            try {
                if (batch.isEmpty()) {
                    if (!sortArrivals()) {
                        if (stopping) {
                            return;
                        }
                        continue;
                    }
                    // Results that release dependents go first, few at a time; the rest in large batches.
                    Queue<Waiting> from = releasing.isEmpty() ? others : releasing;
                    int size = from == releasing ? releaseBatchSize : batchSize;
                    from.stream().limit(size).forEach(batch::add);
                    // Visible to the lease renewer before they leave their queue.
                    inFlight = List.copyOf(batch);
                    for (int i = 0; i < batch.size(); i++) {
                        from.poll();
                    }
                }
                write(batch);
                failingSince = 0;
            } catch (InterruptedException e) {
                // Nobody interrupts this thread; if someone does, write what is left without waiting.
            } catch (RuntimeException e) {
                if (failingSince == 0) {
                    failingSince = System.nanoTime();
                }
                lastFailure = Refusals.describe(e);
                LOG.errorf("Could not write %d job results (%s); trying again", batch.size(), lastFailure);
                giveUpOnStale(batch);
                try {
                    Thread.sleep(RETRY_MILLIS);
                } catch (InterruptedException ignored) {
                    // Try once more at once; when stopping, the caller's join bounds how long.
                }
            }
        }
    }

    /**
     * Writes {@code batch} and empties it: in one transaction, or, when PostgreSQL refuses what it holds,
     * one result at a time. Throws (leaving what is not written in {@code batch}) when a write fails for
     * the moment.
     */
    private void write(List<Waiting> batch) {
        try {
            sql.inTransaction(tx -> writer.write(tx, outcomes(batch)));
            written(batch, batch.size());
            return;
        } catch (RuntimeException e) {
            if (!Refusals.refusesData(e)) {
                throw e;
            }
            LOG.warnf("A batch of %d job results was refused (%s); writing them one by one", batch.size(),
                    Refusals.describe(e));
        }
        for (Iterator<Waiting> it = batch.iterator(); it.hasNext();) {
            Waiting waiting = it.next();
            try {
                sql.inTransaction(tx -> writer.write(tx, List.of(waiting.outcome())));
            } catch (RuntimeException e) {
                if (!Refusals.refusesData(e)) {
                    throw e;
                }
                writeInstead(waiting, e);
            }
            it.remove();
            unwritten.decrementAndGet();
            inFlight = List.copyOf(batch);
        }
    }

    /**
     * Drops from a failing batch the results that have waited two leases: their leases stopped being
     * renewed after one, so the rescuer has taken (or will take) their jobs back, and a late write would
     * be fenced off anyway. Without this, one result that can never be written would hold up every
     * later one on this replica.
     */
    private void giveUpOnStale(List<Waiting> batch) {
        long now = System.nanoTime();
        if (now - failingSince < 2 * leaseNanos) {
            return;
        }
        int before = batch.size();
        batch.removeIf(w -> now - w.since() >= 2 * leaseNanos);
        int dropped = before - batch.size();
        if (dropped > 0) {
            unwritten.addAndGet(-dropped);
            inFlight = List.copyOf(batch);
            LOG.errorf("Gave up writing %d job results after two leases of failed writes; the rescuer ends their "
                    + "attempts", dropped);
        }
        if (batch.isEmpty()) {
            failingSince = 0;
        }
    }

    /** A result PostgreSQL refused alone: its attempt ends as failed, saying why. */
    private void writeInstead(Waiting waiting, RuntimeException refusal) {
        Fence fence = waiting.outcome().fence();
        String why = "result could not be stored: " + Refusals.describe(refusal);
        LOG.errorf("Could not store the result of job %d attempt %d (%s); the attempt ends as failed instead",
                fence.jobId(), fence.attempt(), Refusals.describe(refusal));
        try {
            sql.inTransaction(tx -> writer.writeUnstorable(tx, waiting.outcome(), why));
        } catch (RuntimeException e) {
            if (!Refusals.refusesData(e)) {
                throw e;
            }
            // Nothing about this attempt can be written; left to the rescuer once its lease (no longer renewed) ends.
            LOG.errorf("Could not store even the failure of job %d attempt %d (%s); its lease is no longer renewed and "
                    + "the rescuer ends it", fence.jobId(), fence.attempt(), Refusals.describe(e));
        }
    }

    private void written(List<Waiting> batch, int count) {
        unwritten.addAndGet(-count);
        batch.clear();
        inFlight = List.of();
    }

    private static List<Outcome> outcomes(List<Waiting> batch) {
        List<Outcome> outcomes = new ArrayList<>(batch.size());
        batch.forEach(w -> outcomes.add(w.outcome()));
        return outcomes;
    }

    /** Moves what arrived into the two queues, waiting a while when nothing is there; false if still nothing. */
    private boolean sortArrivals() throws InterruptedException {
        if (releasing.isEmpty() && others.isEmpty()) {
            Waiting first = stopping ? arrivals.poll() : arrivals.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
            if (first == null) {
                return false;
            }
            sort(first);
        }
        for (Waiting next; (next = arrivals.poll()) != null;) {
            sort(next);
        }
        return true;
    }

    private void sort(Waiting waiting) {
        boolean releases = waiting.outcome() instanceof Outcome.Succeeded s && s.releasesDependents();
        (releases ? releasing : others).add(waiting);
    }
}
