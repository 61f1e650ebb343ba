package dev.jobyard.engine;

import java.util.ArrayList;
import java.util.List;

import dev.jobyard.database.Sql;
import dev.jobyard.job.Fence;

/**
 * The replica's result writers ({@link Completer}), each on its own thread and in its own transactions, seen as
 * one. A job's results always go to the same writer, so one job's attempts are written in the order they ended:
 * a workflow's by the key its owner gives (a flow run's id, so that a run's advances never wait for each other's
 * lock), any other to the first writer. Several writers overlap the round trips of their transactions: a
 * workflow's advance makes a dozen statements per batch, each waiting for its answer, while the database has
 * cores to spare. Writers of one replica meet each other's rows as the writers of two replicas do (rows are
 * locked in id order, cancelled jobs skipped when locked).
 */
final class Completers {

    private final List<Completer> writers = new ArrayList<>();

    Completers(Sql sql, OutcomeWriter writer, int threads, int batchSize, int releaseBatchSize, long leaseMillis) {
        int n = Math.max(1, threads);
        for (int i = 0; i < n; i++) {
            writers.add(new Completer(sql, writer, batchSize, releaseBatchSize, leaseMillis,
                    n == 1 ? "jobyard-completer" : "jobyard-completer-" + (i + 1)));
        }
    }

    void start() {
        writers.forEach(Completer::start);
    }

    /**
     * Hands a result to the writer of {@code key} (see {@link dev.jobyard.job.JobOwners#writerKey}): a workflow's
     * results are spread over all writers by their key, every other result goes to the first writer. Plain jobs'
     * results are thus written as they were by a single writer, in large batches that do not compete with each
     * other (two writers of plain results measured slower in W1 and W4).
     */
    void submit(Outcome outcome, Long key) {
        writers.get(key == null ? 0 : (int) Math.floorMod(key, (long) writers.size())).submit(outcome);
    }

    /**
     * Whether results are written about as fast as they come: at most two batches wait, in all the writers
     * together, so that more writers do not let more results pile up before claims are held back.
     */
    boolean keepsUp() {
        int waiting = 0;
        for (Completer c : writers) {
            waiting += c.unwrittenCount();
        }
        return waiting < 2 * writers.get(0).batchSize();
    }

    /** Fences of results not written yet, by any writer (see {@link Completer#unwrittenFences}). */
    List<Fence> unwrittenFences() {
        List<Fence> fences = new ArrayList<>();
        writers.forEach(c -> fences.addAll(c.unwrittenFences()));
        return fences;
    }

    /** The writers' backlogs together: results waiting and overdue summed, the oldest wait, a last failure. */
    ResultBacklog backlog() {
        int waiting = 0;
        int overdue = 0;
        long oldest = 0;
        String failure = null;
        for (Completer c : writers) {
            ResultBacklog b = c.backlog();
            waiting += b.waiting();
            overdue += b.overdue();
            oldest = Math.max(oldest, b.oldestMillis());
            failure = failure != null ? failure : b.failure();
        }
        return new ResultBacklog(waiting, overdue, oldest, failure);
    }

    /** Writes everything submitted so far, then stops every writer; waits at most {@code millis} in all. */
    void drainAndStop(long millis) {
        writers.forEach(Completer::stop);
        long deadline = System.nanoTime() + millis * 1_000_000L;
        for (Completer c : writers) {
            c.awaitStopped((deadline - System.nanoTime()) / 1_000_000L);
        }
    }
}
