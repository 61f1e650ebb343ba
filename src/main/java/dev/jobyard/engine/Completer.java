package dev.jobyard.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import dev.jobyard.database.Sql;

/**
 * Collects finished attempts and writes them in batches on one thread, so that under load many
 * results share one transaction. A batch that cannot be written (the database is away) is kept and
 * tried again; if that takes longer than the lease, the rescuer decides and the late write is fenced off.
 */
final class Completer {

    private static final Logger LOG = Logger.getLogger(Completer.class);
    // How soon an idle completer notices drainAndStop; it is not interrupted (see there).
    private static final long IDLE_POLL_MILLIS = 100;

    // Successes that release other jobs queue at the front and go out in small batches of their own:
    // a dependent starts only once its dependency's transaction commits, and a 500-row transaction made
    // it wait for all of them. Everything else queues at the back and is written in large batches.
    private static final int RELEASING_BATCH = 50;

    private final LinkedBlockingDeque<Outcome> pending = new LinkedBlockingDeque<>();
    private final Sql sql;
    private final OutcomeWriter writer;
    private final int batchSize;
    // The batch being written, for lease renewal: its jobs still hold leases until it commits.
    private volatile List<Outcome> inFlight = List.of();
    private final Thread thread;
    private volatile boolean stopping;
    // Completer thread only: whether the last batch was a small releasing one (the next takes from the
    // back as well, so a steady stream of releasing results cannot starve the others).
    private boolean lastWasReleasing;

    Completer(Sql sql, OutcomeWriter writer, int batchSize) {
        this.sql = sql;
        this.writer = writer;
        this.batchSize = batchSize;
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
        List<dev.jobyard.job.Fence> fences = new ArrayList<>();
        inFlight.forEach(o -> fences.add(o.fence()));
        pending.forEach(o -> fences.add(o.fence()));
        return fences;
    }

    /** Whether results are written about as fast as they come: at most two batches wait. */
    boolean keepsUp() {
        return pending.size() < 2 * batchSize;
    }

    void submit(Outcome outcome) {
        if (releases(outcome)) {
            pending.addFirst(outcome);
        } else {
            pending.addLast(outcome);
        }
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

    /**
     * Completes a new batch whose first outcome is taken: releasing successes in a small batch, other
     * outcomes in a large one, the two kinds taking turns while both wait.
     */
    private void fill(List<Outcome> batch) {
        Outcome last = pending.peekLast();
        boolean othersWait = last != null && !releases(last);
        if (releases(batch.get(0)) && (!lastWasReleasing || !othersWait)) {
            while (batch.size() < Math.min(RELEASING_BATCH, batchSize) && releases(pending.peekFirst())) {
                Outcome next = pending.pollFirst();
                if (next == null) {
                    break;
                }
                batch.add(next);
            }
            lastWasReleasing = true;
            return;
        }
        if (releases(batch.get(0))) {
            pending.addFirst(batch.remove(0)); // its turn comes with the next batch
        }
        // The others queue at the back.
        while (batch.size() < batchSize) {
            Outcome next = pending.peekLast();
            if (next == null || releases(next)) {
                break;
            }
            batch.add(pending.pollLast());
        }
        lastWasReleasing = false;
    }

    private static boolean releases(Outcome outcome) {
        return outcome instanceof Outcome.Succeeded s && s.releases();
    }

    private void loop() {
        List<Outcome> batch = new ArrayList<>(batchSize);
        while (true) {
            try {
                if (batch.isEmpty()) {
                    Outcome first = stopping ? pending.poll() : pending.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        if (stopping) {
                            return;
                        }
                        continue;
                    }
                    batch.add(first);
                }
                if (batch.size() == 1) {
                    fill(batch);
                }
                inFlight = List.copyOf(batch);
                sql.inTransaction(tx -> writer.write(tx, batch));
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
}
