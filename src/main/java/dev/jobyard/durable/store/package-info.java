/**
 * All SQL on the durable tables: {@code durable_step} ({@link dev.jobyard.durable.store.StepStore}),
 * {@code durable_wait} ({@link dev.jobyard.durable.store.WaitStore}), {@code durable_child}
 * ({@link dev.jobyard.durable.store.ChildStore}) and {@code durable_event}
 * ({@link dev.jobyard.durable.store.EventStore}). Jobs themselves are written through {@link dev.jobyard.job.JobStore}.
 */
package dev.jobyard.durable.store;
