/**
 * Where the database comes from and how code reaches it: the embedded PostgreSQL default, the Flyway
 * bootstrap, and the blocking {@link dev.jobyard.database.Sql} helper over the reactive pool.
 */
package dev.jobyard.database;
