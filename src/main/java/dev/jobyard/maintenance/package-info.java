/** Leader-only upkeep: the rescuer of expired job leases and the history retention cleaner. */
package dev.jobyard.maintenance;
