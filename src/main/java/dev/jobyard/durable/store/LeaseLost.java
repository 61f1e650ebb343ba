package dev.jobyard.durable.store;

/**
 * A durable write found that the attempt no longer holds its job's lease: nothing was saved, and the attempt
 * must end (whatever it ends with is rejected by the same fence).
 */
public class LeaseLost extends RuntimeException {

    public LeaseLost(long jobId, String key) {
        super("job " + jobId + " lost its lease before '" + key + "' was saved");
    }
}
