/**
 * Chains (pg_timetable): ordered multi-task jobs. A chain's definition (chain, tasks, parameters) is in
 * {@code chain.definition}; its timing is the schedule row it owns, so the schedule machinery fires it;
 * a run is one job of kind {@code chain}, run by {@code chain.run}. {@link dev.jobyard.chain.ChainEvents}
 * announces what happens to chains and their runs.
 */
package dev.jobyard.chain;
