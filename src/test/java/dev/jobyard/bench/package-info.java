/**
 * The benchmark tool of issue 5: runs the workloads W1–W6 against the packaged service (started here
 * with {@link dev.jobyard.testing.ReplicaProcess}, or a running one), through the public GraphQL API
 * like a user, reads the database facts it needs with plain JDBC, and writes
 * {@code target/bench/report.md} and {@code report.json}. Entry point: {@link dev.jobyard.bench.BenchMain},
 * run by {@code ./mvnw -Pbench verify}; docs/performance.md explains it. Nothing here asserts speed.
 */
package dev.jobyard.bench;
