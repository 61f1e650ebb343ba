/**
 * Running a chain: the {@code chain} job kind. A run reads its tasks when it starts, runs the
 * non-autonomous {@code sql} tasks in one transaction on a connection of its own (a savepoint per
 * execution), autonomous ones on their own connections and other kinds through their handlers, and
 * writes the execution log on the service's pool, outside the run's transaction.
 */
package dev.jobyard.chain.run;
