/**
 * Flows (pgflow's DAG workflows): definitions of flows and their steps, checked once and stored
 * immutable ({@link dev.jobyard.flow.FlowDefinitions}, Hibernate Reactive Panache: small nested rows).
 * Runs and their advancing live in {@link dev.jobyard.flow.run}.
 */
package dev.jobyard.flow;
