/**
 * Events: NOTIFY out in the same transaction as the change, LISTEN in on a dedicated connection, and
 * the fan-out to GraphQL subscriptions and worker wake-ups on this replica. The wire format of job
 * events lives here alone ({@link dev.jobyard.event.JobEvent} in Java, {@link dev.jobyard.event.JobEventSql}
 * in the hot statements' SQL), and so does the rule that a notification is only a hint: what anyone acts
 * on or sees is checked against the tables first ({@link dev.jobyard.event.EventConfirmations}).
 */
package dev.jobyard.event;
