package dev.jobyard.job;

import java.util.List;

import dev.jobyard.database.Sql;

/**
 * A workflow that owns some of the jobs it creates ({@link NewJob#ownedBy}) and moves on when they end: a flow
 * advancing its run, a durable task waking the parent of a child. Implemented by CDI beans.
 *
 * <p>{@link #ended} runs inside the transaction that archived the jobs, whichever path ended them (a
 * completion batch, a failure, a cancel, a cascade, a rescue), so the workflow's own state commits with the
 * job's end or not at all. The results of completed jobs are in {@code jobyard.job_history} by then.
 */
public interface JobOwner {

    /** The value of the jobs' {@code owner} column that this bean answers for. */
    String name();

    /**
     * Called with the final-state changes (COMPLETED, FAILED, CANCELLED) of this owner's jobs. Returns the
     * changes it made to other jobs (inserted, cancelled, made runnable), which the engine counts and announces
     * like its own; jobs those changes end are handed to their owners in turn.
     */
    List<JobChange> ended(Sql.Tx tx, List<JobChange> ended);

    /**
     * The key that sends the results of jobs that move the same thing on (a flow run) to the same result writer
     * of a replica, so that two of its writers do not wait for each other's lock on it; null when {@code job}
     * is not one of this owner's. Called for every claimed job, with only what the claim returned.
     */
    default Long writerKey(ClaimedJob job) {
        return null;
    }
}
