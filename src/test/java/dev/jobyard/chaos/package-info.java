/**
 * The fault cells: the service's packaged jar, two or three replicas, a steady flow of jobs, and one fault
 * each (PostgreSQL restarted or stopped past the lease, backends killed, the pool exhausted, replicas killed,
 * long transactions and readers, overload, a compressed soak), after the method of the public benchmark
 * hardbyte/postgresql-job-queue-benchmarking. Each runs on a {@link dev.jobyard.testing.DisposablePostgres} of
 * its own, since the faults would hit the other tests on the shared database. Each ends with every job terminal,
 * none lost, none run again after its result was written, and readiness green within one lease of the fault's
 * end; {@link dev.jobyard.chaos.CellReport} writes what it saw to {@code target/chaos/}, from which
 * docs/reliability.md's table is taken.
 */
package dev.jobyard.chaos;
