/**
 * Flow runs: starting them, advancing them in the transaction that archives a task's job
 * ({@link dev.jobyard.flow.run.FlowJobOwner}), cancelling them, reading them, and their events. Each
 * run-state table has its SQL in one class ({@link dev.jobyard.flow.run.RunStore},
 * {@link dev.jobyard.flow.run.StepStateStore}, {@link dev.jobyard.flow.run.TaskStore}) on the reactive
 * client: this is the hot path. A run's row lock serialises every change of the run.
 */
package dev.jobyard.flow.run;
