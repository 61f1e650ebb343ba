/**
 * Running jobs: per-queue fetch loops that claim in batches, worker threads with timeouts and
 * cancellation, lease renewal, and the completer that writes results in batches.
 */
package dev.jobyard.engine;
