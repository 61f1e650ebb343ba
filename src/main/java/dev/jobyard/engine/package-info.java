/**
 * Running jobs: which queues this replica serves (configured ones on fetcher threads of their own, a bounded
 * number of others on one shared fetcher), claims in batches, worker threads with timeouts and cancellation
 * that end when idle, lease renewal and the handler's interrupt and abandonment when it fails, and the completers
 * (threads of their own, a job's results always on the same one) that write results in batches (a result
 * PostgreSQL refuses ends its own attempt; results that wait longer than a lease show in readiness).
 */
package dev.jobyard.engine;
