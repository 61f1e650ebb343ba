/**
 * Chain definitions: the Hibernate Reactive Panache entities of {@code chain}, {@code chain_task},
 * {@code chain_parameter} and the chain's own {@code schedule} row, and {@link dev.jobyard.chain.definition.ChainService},
 * the rules for creating and changing them. Each change and its events commit in one transaction of
 * the Panache session. Runs never read these entities: {@code chain.run} reads the rows with the
 * engine's own statements.
 */
package dev.jobyard.chain.definition;
