/**
 * What wakes parked durable tasks, each in the transaction of its cause: events ({@link
 * dev.jobyard.durable.wake.DurableEvents}), the end of a child job ({@link dev.jobyard.durable.wake.DurableOwner},
 * the engine's {@link dev.jobyard.job.JobOwner} callback), timeouts (the leader's {@link
 * dev.jobyard.durable.wake.DurableTimeouts}) and row changes ({@link dev.jobyard.durable.wake.DbChangeTriggers}).
 * {@link dev.jobyard.durable.wake.ChildJobs} creates and cancels children.
 */
package dev.jobyard.durable.wake;
