/**
 * One class per workload of issue 5 (W1–W6), the measurements they share ({@link dev.jobyard.bench.workload.ThroughputRun})
 * and the database-side probes (history preload, claim plan, statement counter, exactly-once checks), plus
 * the raw-SQL floors of ../shared/peers (pgbench, LISTEN/NOTIFY) run beside them.
 */
package dev.jobyard.bench.workload;
