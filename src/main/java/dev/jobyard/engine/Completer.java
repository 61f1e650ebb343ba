package dev.jobyard.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import dev.jobyard.database.Sql;

/**
 * Collects finished attempts and writes them in batches on one thread, so that under load many
 * results share one transaction. Successes that release dependents are written first, in small
 * transactions: a dependent can start only when its dependency's transaction commits, so it must not
 * wait behind a large batch of results nobody waits for. A batch that cannot be written (the database
 * is away) is kept and tried again; if that takes longer than the lease, the rescuer decides and the
 * late write is fenced off.
 */
final class Completer {

    private static final Logger LOG = Logger.getLogger(Completer.class);
    // How soon an idle completer notices drainAndStop; it is not interrupted (see there).
    private static final long IDLE_POLL_MILLIS = 100;

    // Submitted results arrive here; the completer thread sorts them into the two queues below.
    private final LinkedBlockingQueue<Outcome> arrivals = new LinkedBlockingQueue<>();
    private final Queue<Outcome> releasing = new ConcurrentLinkedQueue<>();
    private final Queue<Outcome> others = new ConcurrentLinkedQueue<>();
    // Results submitted and not yet written (arrived, sorted or in flight).
    private final AtomicInteger unwritten = new AtomicInteger();
    private final Sql sql;
    private final OutcomeWriter writer;
    private final int batchSize;
    private final int releaseBatchSize;
    // The batch being written, for lease renewal: its jobs still hold leases until it commits.
    private volatile List<Outcome> inFlight = List.of();
    private final Thread thread;
    private volatile boolean stopping;

    Completer(Sql sql, OutcomeWriter writer, int batchSize, int releaseBatchSize) {
        this.sql = sql;
        this.writer = writer;
        this.batchSize = Math.max(1, batchSize);
        this.releaseBatchSize = Math.max(1, releaseBatchSize);
        this.thread = new Thread(this::loop, "jobyard-completer");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * Fences of results not written yet. Their leases must be renewed until they are: a backlog older
     * than the lease would otherwise be rescued and run again.
     */
    List<dev.jobyard.job.Fence> unwrittenFences() {
        // Read in the order results move (arrivals, then sorted, then in flight), so none is passed over.
        List<dev.jobyard.job.Fence> fences = new ArrayList<>();
        arrivals.forEach(o -> fences.add(o.fence()));
        releasing.forEach(o -> fences.add(o.fence()));
        others.forEach(o -> fences.add(o.fence()));
        inFlight.forEach(o -> fences.add(o.fence()));
        return fences;
    }

    /** Whether results are written about as fast as they come: at most two batches wait. */
    boolean keepsUp() {
        return unwritten.get() < 2 * batchSize;
    }

    void submit(Outcome outcome) {
        unwritten.incrementAndGet();
        arrivals.add(outcome);
    }

    /** Writes everything submitted so far, then stops; waits at most {@code millis}. */
    void drainAndStop(long millis) {
        // No interrupt: it would abort the write in flight (the hand-backs of a shutdown, typically), which
        // then failed with an InterruptedException and was retried, or fenced off if its commit had landed.
        stopping = true;
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        List<Outcome> batch = new ArrayList<>(batchSize);
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
                    Queue<Outcome> from = releasing.isEmpty() ? others : releasing;
                    int size = from == releasing ? releaseBatchSize : batchSize;
                    from.stream().limit(size).forEach(batch::add);
                    // Visible to the lease renewer before they leave their queue.
                    inFlight = List.copyOf(batch);
                    for (int i = 0; i < batch.size(); i++) {
                        from.poll();
                    }
                }
                sql.inTransaction(tx -> writer.write(tx, batch));
                unwritten.addAndGet(-batch.size());
                batch.clear();
                inFlight = List.of();
            } catch (InterruptedException e) {
                // Nobody interrupts this thread; if someone does, write what is left without waiting.
            } catch (RuntimeException e) {
                LOG.errorf("Could not write %d job results (%s); trying again", batch.size(), e.getMessage());
                try {
                    Thread.sleep(500);
                } catch (InterruptedException ignored) {
                    // Try once more at once; when stopping, the caller's join bounds how long.
                }
            }
        }
    }

    /** Moves what arrived into the two queues, waiting a while when nothing is there; false if still nothing. */
    private boolean sortArrivals() throws InterruptedException {
        if (releasing.isEmpty() && others.isEmpty()) {
            Outcome first = stopping ? arrivals.poll() : arrivals.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
            if (first == null) {
                return false;
            }
            sort(first);
        }
        for (Outcome next; (next = arrivals.poll()) != null;) {
            sort(next);
        }
        return true;
    }

    private void sort(Outcome outcome) {
        boolean releases = outcome instanceof Outcome.Succeeded s && s.releasesDependents();
        (releases ? releasing : others).add(outcome);
    }
}
