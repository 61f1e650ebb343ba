package dev.jobyard.database;

/**
 * Work that joins every transaction of {@link Sql#inTransaction} just before it commits, such as the audit
 * record of the mutation that runs it (dev.jobyard.access.AuditTrail). Called on every transaction, the
 * engine's too: an implementation returns at once when it has nothing to add.
 */
public interface TransactionHook {

    void beforeCommit(Sql.Tx tx);
}
