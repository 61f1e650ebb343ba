/**
 * The {@code sql} command: one connection per job, logged in as the {@code runAs} role when given,
 * rows as a JSON result.
 */
package dev.jobyard.command.sql;
