/**
 * The {@code shutdown} command (off by default): a graceful stop of the replica that runs it.
 */
package dev.jobyard.command.shutdown;
