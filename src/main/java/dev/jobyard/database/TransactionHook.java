package dev.jobyard.database;

/**
 * Work that joins every transaction of {@link Sql#inTransaction} just before it commits, such as the audit
 * record of the mutation that runs it (dev.jobyard.access.AuditTrail). Called on every transaction, the
 * engine's too: an implementation returns at once when it has nothing to add.
 */
public interface TransactionHook {

    void beforeCommit(Sql.Tx tx);

    /**
     * The statements to send with a single change made through {@link Sql#change}, in its transaction and before
     * its COMMIT, without waiting for their answers (one round trip for the whole transaction). Empty when there is
     * nothing to add; each statement's {@code committed} runs once the transaction commits.
     */
    default java.util.List<Pipelined> pipelined() {
        return java.util.List.of();
    }

    /** A statement sent in a pipelined transaction, and what to do once that transaction commits. */
    record Pipelined(String sql, io.vertx.mutiny.sqlclient.Tuple args, Runnable committed) {
    }
}
