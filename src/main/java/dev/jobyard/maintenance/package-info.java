/**
 * Leader-only upkeep: the rescuer of expired job leases, and retention: history's day partitions (created
 * ahead, detached concurrently and dropped), batched deletes where no partition can go, and the window of
 * idempotency keys.
 */
package dev.jobyard.maintenance;
