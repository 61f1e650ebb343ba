/**
 * Where the database comes from and how code reaches it: the embedded PostgreSQL default, the Flyway
 * bootstrap, the reactive pool ({@link dev.jobyard.database.StatementCachingPool}: every statement prepared once
 * per connection) and the blocking {@link dev.jobyard.database.Sql} helper over it.
 */
package dev.jobyard.database;
