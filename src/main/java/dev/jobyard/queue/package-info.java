/** Queues: their overview with counts, and pausing and resuming them across all replicas. */
package dev.jobyard.queue;
