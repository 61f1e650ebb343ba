/**
 * Durable tasks (pgconductor's model): a job whose handler is a {@link dev.jobyard.durable.DurableHandler} runs
 * as plain code whose primitives ({@link dev.jobyard.durable.DurableContext}: steps, sleeps, child jobs, events,
 * row changes, schedules) save their results by key. The job is replayed from the top after every wake-up, a
 * retry or a crash, and saved results are returned without running anything again. Waiting ends the attempt
 * ("hangup", {@link dev.jobyard.handler.HangUp}): the job is parked and holds no thread and no lease.
 * This package holds the API and the replay; {@code store} its SQL, {@code wake} what wakes parked tasks, and
 * {@code script} the built-in {@code durable_script} kind. docs/durable.md describes the model.
 */
package dev.jobyard.durable;
