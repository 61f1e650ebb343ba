package dev.jobyard.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Jdbc;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Statements a transaction sends without waiting ({@link Sql.Tx#send}) behave as if they had been waited for: they
 * run in order, their failure is the one thrown (not the "transaction is aborted" of what came after) and the
 * transaction then rolls back with everything in it.
 */
@QuarkusTest
class PipelinedStatementsTest {

    @Inject
    Sql sql;

    private final String table = "public.pipelined_" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void createTable() {
        Jdbc.update("CREATE TABLE " + table + " (id int PRIMARY KEY)");
    }

    @AfterEach
    void dropTable() {
        Jdbc.update("DROP TABLE IF EXISTS " + table);
    }

    @Test
    void sentStatementsRunInOrderAndCommit() {
        long seen = sql.inTransaction(tx -> {
            tx.send("INSERT INTO " + table + " VALUES ($1)", Tuple.of(1));
            tx.send("INSERT INTO " + table + " VALUES ($1)", Tuple.of(2));
            // A query after them sees them: the connection ran them first.
            return tx.query("SELECT count(*) AS n FROM " + table, Tuple.tuple()).iterator().next().getLong("n");
        });

        assertEquals(2L, seen);
        assertEquals(2L, Jdbc.<Long>value("SELECT count(*) FROM " + table));
    }

    @Test
    void aFailedSentStatementIsThrownByTheNextQueryAndRollsEverythingBack() {
        RuntimeException failure = assertThrows(RuntimeException.class, () -> sql.inTransaction(tx -> {
            tx.send("INSERT INTO " + table + " VALUES ($1)", Tuple.of(1));
            tx.send("INSERT INTO " + table + " VALUES ($1)", Tuple.of(1));
            return tx.query("SELECT 1", Tuple.tuple());
        }));

        assertTrue(failure.getMessage().contains("duplicate key"), failure.getMessage());
        assertEquals(0L, Jdbc.<Long>value("SELECT count(*) FROM " + table));
    }

    @Test
    void aFailedSentStatementWithNothingAfterItFailsTheCommit() {
        RuntimeException failure = assertThrows(RuntimeException.class, () -> sql.inTransaction(tx -> {
            tx.query("INSERT INTO " + table + " VALUES ($1)", Tuple.of(1));
            tx.send("INSERT INTO " + table + " VALUES ($1)", Tuple.of(1));
            return null;
        }));

        assertTrue(failure.getMessage().contains("duplicate key"), failure.getMessage());
        assertEquals(0L, Jdbc.<Long>value("SELECT count(*) FROM " + table));
    }
}
