/**
 * The COPY commands: statements built from structured fields (a table, or one read-only query),
 * streamed through PgJDBC between the database and files or programs.
 */
package dev.jobyard.command.copy;
