/** Queues: their overview with counts, pausing and resuming them across all replicas, and deleting unused ones. */
package dev.jobyard.queue;
