package dev.jobyard.handler;

import java.util.List;

import dev.jobyard.database.Sql;
import dev.jobyard.job.Fence;
import dev.jobyard.job.JobChange;
import dev.jobyard.job.JobStatus;

/**
 * Thrown by a handler to end its attempt without ending the job (a durable task's "hangup"): the job goes
 * back to PENDING (runnable after {@code delayMillis}) or to WAITING (until something wakes it), the attempt
 * is not counted, and no thread or lease is held meanwhile. {@link Then} runs in the transaction that parks
 * the job, only if the attempt's fence still held: what the job waits for is recorded with the park or not at
 * all.
 * <p>
 * An {@link Error}, not an exception, so that the handler's own {@code catch (Exception e)} does not swallow
 * it. It carries no stack trace: it is thrown on every park.
 */
public final class HangUp extends Error {

    /** Work done in the parking transaction after the job row was parked (its row lock is held). */
    @FunctionalInterface
    public interface Then {
        List<JobChange> write(Sql.Tx tx, Fence fence);
    }

    private final transient JobStatus status;
    private final long delayMillis;
    private final transient Then then;

    private HangUp(JobStatus status, long delayMillis, Then then) {
        super("hang up: " + status, null, false, false);
        this.status = status;
        this.delayMillis = delayMillis;
        this.then = then;
    }

    /** Back to PENDING, runnable {@code delayMillis} from now (database clock). */
    public static HangUp pending(long delayMillis, Then then) {
        return new HangUp(JobStatus.PENDING, Math.max(0, delayMillis), then);
    }

    /** To WAITING: never claimed until {@code then}'s wait is resolved by whoever resolves it. */
    public static HangUp waiting(Then then) {
        return new HangUp(JobStatus.WAITING, 0, then);
    }

    public JobStatus status() {
        return status;
    }

    public long delayMillis() {
        return delayMillis;
    }

    public Then then() {
        return then;
    }
}
