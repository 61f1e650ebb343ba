package dev.jobyard.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The pool prepares a long statement once per connection and keeps it, as it does a short one: the hot path's
 * statements are longer than the client's default limit, under which each execution was parsed and planned anew.
 */
@QuarkusTest
class StatementCacheTest {

    @Inject
    Pool pool;

    @Test
    void aStatementLongerThanTheClientsDefaultLimitIsPreparedOnceAndKept() {
        // Given a statement of about 6,000 characters, as long as the claim with its comments
        String marker = "statement-cache-test-" + System.nanoTime();
        String sql = "SELECT $1::int + 1 AS n -- " + marker + "\n" + "-- padding\n".repeat(550);
        assertTrue(sql.length() > 2048 * 2, "the statement must be longer than the client's default limit");
        SqlConnection connection = pool.getConnectionAndAwait();
        try {
            // When the same connection runs it twice
            assertEquals(2, connection.preparedQuery(sql).executeAndAwait(Tuple.of(1)).iterator().next().getInteger("n"));
            assertEquals(3, connection.preparedQuery(sql).executeAndAwait(Tuple.of(2)).iterator().next().getInteger("n"));

            // Then PostgreSQL holds it as one named prepared statement of that session (an unnamed statement, which
            // is parsed again on every execution, is not listed there)
            long prepared = connection.preparedQuery(
                    "SELECT count(*) AS n FROM pg_prepared_statements WHERE strpos(statement, $1) > 0 AND NOT from_sql")
                    .executeAndAwait(Tuple.of(marker)).iterator().next().getLong("n");
            assertEquals(1, prepared, "the long statement is prepared once on this connection and kept");
        } finally {
            connection.closeAndAwait();
        }
    }

    @Test
    void everyStatementOfTheStoresFitsUnderTheCachedLength() throws IOException {
        // Given every SQL constant of the classes that own a table's statements (…Store, one home per table)
        List<String> tooLong = new ArrayList<>();
        int checked = 0;
        Path classes = Path.of("target/classes");
        try (Stream<Path> files = Files.walk(classes.resolve("dev/jobyard"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith("Store.class")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceFirst("\\.class$", "");
                Class<?> type;
                try {
                    type = Class.forName(name, false, Thread.currentThread().getContextClassLoader());
                } catch (ClassNotFoundException e) {
                    throw new AssertionError(name, e);
                }
                for (Field field : type.getDeclaredFields()) {
                    int mods = field.getModifiers();
                    if (field.getType() == String.class && Modifier.isStatic(mods) && Modifier.isFinal(mods)) {
                        field.setAccessible(true);
                        String value;
                        try {
                            value = (String) field.get(null);
                        } catch (IllegalAccessException e) {
                            throw new AssertionError(name + "." + field.getName(), e);
                        }
                        checked++;
                        // Then none is longer than what the pool prepares once and keeps
                        if (value != null && value.length() > StatementCachingPool.SQL_LIMIT) {
                            tooLong.add(name + "." + field.getName() + " (" + value.length() + " characters)");
                        }
                    }
                }
            }
        }
        assertTrue(checked > 50, "the stores' statements were found (" + checked + ")");
        assertEquals(List.of(), tooLong, "statements the pool would parse on every execution");
    }
}
