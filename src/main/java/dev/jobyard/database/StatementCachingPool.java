package dev.jobyard.database;

import jakarta.inject.Singleton;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgPool;
import io.vertx.sqlclient.Pool;

/**
 * Creates the reactive pool as Quarkus would, except that statements longer than the client's default
 * limit for its prepared-statement cache (2,048 characters) are cached too. The hot path's statements
 * (the claim, the insert of new jobs, the completer's archive-and-announce) are longer than that, and
 * below the limit the client sends each of them as an unnamed statement: its whole text is encoded on
 * the event loop and parsed and planned by PostgreSQL on every execution. Cached, each connection
 * prepares it once. {@code StatementCacheTest} pins that the hot path's statements fit under
 * {@link #SQL_LIMIT}.
 */
@Singleton
public class StatementCachingPool implements PgPoolCreator {

    /** Characters of SQL text up to which a statement is prepared once per connection and kept. */
    public static final int SQL_LIMIT = 16_384;

    @Override
    @SuppressWarnings("deprecation") // Quarkus's recorder casts the created pool to PgPool, so it must be one.
    public Pool create(Input input) {
        for (PgConnectOptions options : input.pgConnectOptionsList()) {
            options.setPreparedStatementCacheSqlLimit(SQL_LIMIT);
        }
        return PgPool.pool(input.vertx(), input.pgConnectOptionsList(), input.poolOptions());
    }
}
