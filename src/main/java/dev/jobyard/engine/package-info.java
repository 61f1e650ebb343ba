/**
 * Running jobs: per-queue fetch loops that claim in batches, worker threads with timeouts and
 * cancellation, lease renewal, and the completer that writes results in batches (a result PostgreSQL
 * refuses ends its own attempt; results that wait longer than a lease show in readiness).
 */
package dev.jobyard.engine;
