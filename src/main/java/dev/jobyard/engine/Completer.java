package dev.jobyard.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
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

    private final LinkedBlockingQueue<Outcome> pending = new LinkedBlockingQueue<>();
    private final Sql sql;
    private final OutcomeWriter writer;
    private final int batchSize;
    // The batch being written, for lease renewal: its jobs still hold leases until it commits.
    private volatile List<Outcome> inFlight = List.of();
    private final Thread thread;
    private volatile boolean stopping;

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
        pending.add(outcome);
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
                    Outcome first = stopping ? pending.poll() : pending.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        if (stopping) {
                            return;
                        }
                        continue;
                    }
                    batch.add(first);
                }
                pending.drainTo(batch, batchSize - batch.size());
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
