/**
 * The {@code http} and {@code download} commands: one HTTP client, exchanges bounded by a timeout and
 * the job's stop, downloads capped in size.
 */
package dev.jobyard.command.http;
