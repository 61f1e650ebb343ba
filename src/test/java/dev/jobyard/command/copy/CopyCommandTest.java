package dev.jobyard.command.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.jobyard.command.CommandJobs;
import dev.jobyard.command.CommandsEnabled;
import dev.jobyard.testing.Jdbc;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** COPY in and out through files and programs, with a CSV of one million rows. */
@QuarkusTest
@TestProfile(CommandsEnabled.class)
class CopyCommandTest {

    private static final int ROWS = 1_000_000;

    private static String table() {
        return table("id int, name text, amount numeric");
    }

    /** A new table in public with these columns; its name without schema. */
    private static String table(String columns) {
        String table = "copy_" + UUID.randomUUID().toString().substring(0, 8);
        Jdbc.update("CREATE TABLE public." + table + " (" + columns + ")");
        return table;
    }

    /** A table of one int column holding 1 and 2: what the attacks below would change. */
    private static String tableWithTwoRows() {
        String table = table("n int");
        Jdbc.update("INSERT INTO public." + table + " VALUES (1), (2)");
        return table;
    }

    static Path writeCsv(Path file, int rows) throws Exception {
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            out.write("id,name,amount\n");
            for (int i = 1; i <= rows; i++) {
                out.write(i + ",name-" + i + "," + (i % 1000) + ".25\n");
            }
        }
        return file;
    }

    @Test
    void aMillionRowsRoundTripThroughFiles() throws Exception {
        String table = table();
        Path in = writeCsv(CommandsEnabled.FILES.resolve("in-" + UUID.randomUUID() + ".csv"), ROWS);
        Path out = CommandsEnabled.FILES.resolve("out-" + UUID.randomUUID() + ".csv");

        var loaded = CommandJobs.finished(CommandJobs.create("copy_from_file", Map.of("table", "public." + table,
                "columns", List.of("id", "name", "amount"), "format", "csv", "header", true, "file", in.toString())), "COMPLETED");
        var dumped = CommandJobs.finished(CommandJobs.create("copy_to_file", Map.of(
                "query", "SELECT id, name, amount FROM " + table + " ORDER BY id -- a trailing comment", "format", "csv",
                "header", true, "file", out.toString())), "COMPLETED");

        assertEquals(ROWS, loaded.getInt("result.rows"));
        assertEquals(ROWS, dumped.getInt("result.rows"));
        assertEquals(Files.size(in), dumped.getLong("result.bytes"));
        assertEquals(-1L, Files.mismatch(in, out), "the file written back is the file read in, byte for byte");
        assertEquals("500000500000 499750000.00", Jdbc.value("SELECT sum(id) || ' ' || sum(amount) FROM public." + table));
    }

    @Test
    void copyFromAProgramStreamsItsOutputAndCopyToAProgramFeedsItsInput() {
        String table = table("n int");

        var loaded = CommandJobs.finished(CommandJobs.create("copy_from_program", Map.of("table", table,
                "command", "seq", "args", List.of("1", String.valueOf(ROWS)))), "COMPLETED");
        var counted = CommandJobs.finished(CommandJobs.create("copy_to_program", Map.of("table", table,
                "command", "wc", "args", List.of("-l"))), "COMPLETED");

        assertEquals(ROWS, loaded.getInt("result.rows"));
        assertEquals(0, loaded.getInt("result.exitCode"));
        assertEquals(ROWS, counted.getInt("result.rows"));
        assertEquals(ROWS + "\n", counted.getString("result.stdout"), "wc read every row the COPY wrote");
    }

    @Test
    void aProgramThatFailsRollsTheCopyBack() {
        String table = table("n int");

        var job = CommandJobs.finished(CommandJobs.create("copy_from_program", Map.of("table", table,
                "command", "/bin/sh", "args", List.of("-c", "seq 1 10; echo broken >&2; exit 2"))), "FAILED");

        assertEquals("exit code 2; the COPY was rolled back", job.getString("error"));
        assertEquals(0L, (Long) Jdbc.value("SELECT count(*) FROM public." + table));
        Map<?, ?> output = (Map<?, ?>) CommandJobs.attemptOutputs(job.getString("id")).get(0).get("output");
        assertEquals("broken\n", output.get("stderr"));
    }

    @Test
    void aHangingProgramIsKilledAtTheTimeoutAndItsCopyRolledBack() {
        String table = table("n int");
        String marker = String.valueOf(1_000_000 + new java.util.Random().nextInt(8_000_000));

        var job = CommandJobs.finished(CommandJobs.create("copy_from_program", Map.of("table", table,
                "command", "/bin/sh", "args", List.of("-c", "seq 1 5; sleep " + marker)), Map.of("timeoutSeconds", 1)), "FAILED");

        assertEquals("timed out after 1s", job.getString("error"));
        assertEquals(0L, (Long) Jdbc.value("SELECT count(*) FROM public." + table));
        dev.jobyard.testing.Await.until(java.time.Duration.ofSeconds(10), () -> {
            try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
                return all.filter(p -> p.info().commandLine().map(c -> c.endsWith("sleep " + marker)).orElse(false)).count();
            }
        }, n -> n == 0, "the program's sleep to be gone");
    }

    @Test
    void aBadCopyStatementFailsWithPostgresqlsMessage() throws Exception {
        Path in = writeCsv(CommandsEnabled.FILES.resolve("bad-" + UUID.randomUUID() + ".csv"), 3);

        var job = CommandJobs.finished(CommandJobs.create("copy_from_file", Map.of("table", "no_such_table",
                "file", in.toString())), "FAILED");

        assertTrue(job.getString("error").contains("relation \"no_such_table\" does not exist"), job.getString("error"));
    }

    @Test
    void aCopyStatementIsNoLongerAcceptedSoNoneOfItsTricksReachTheDatabase() {
        // given a table that the attacks of issue 14 would empty, drop, or get around with a shell command
        String table = tableWithTwoRows();
        Path file = CommandsEnabled.FILES.resolve("attack-" + UUID.randomUUID() + ".csv");

        // when each is given as the old sql field, then it is refused at creation, naming the structured fields
        for (String sql : List.of("COPY (DELETE FROM " + table + " RETURNING n) TO STDOUT",
                "COPY (SELECT 1) TO STDOUT; COMMIT; DROP TABLE " + table,
                "COPY (SELECT 1) TO PROGRAM 'id > /tmp/jobyard-sandbox-pwned' -- TO STDOUT")) {
            String message = CommandJobs.refusal("copy_to_file", Map.of("sql", sql, "file", file.toString()));
            assertTrue(message.startsWith("input.payload.sql: a copy job does not take a COPY statement; give table"), message);
        }
        assertEquals(2L, (Long) Jdbc.value("SELECT count(*) FROM public." + table));
    }

    @Test
    void aQueryMustBeOneQueryAndCannotCloseTheCopyAroundIt() {
        String table = tableWithTwoRows();
        String file = CommandsEnabled.FILES.resolve("attack-" + UUID.randomUUID() + ".csv").toString();

        String delete = CommandJobs.refusal("copy_to_file", Map.of("query", "DELETE FROM " + table + " RETURNING n", "file", file));
        String several = CommandJobs.refusal("copy_to_file", Map.of("query", "SELECT 1) TO STDOUT; COMMIT; DROP TABLE " + table
                + "; COPY (SELECT 1", "file", file));
        String program = CommandJobs.refusal("copy_to_program", Map.of("query", "SELECT 1) TO PROGRAM 'id' --", "command", "cat"));
        String hiddenInComment = CommandJobs.refusal("copy_to_file", Map.of("query", "SELECT 1 /* ) */ ) TO PROGRAM 'id' --", "file", file));

        assertEquals("input.payload.query: must be a query (SELECT, WITH, VALUES or TABLE), got DELETE", delete);
        assertEquals("input.payload.query: has a ')' without its '('", several);
        assertEquals("input.payload.query: has a ')' without its '('", program);
        assertEquals("input.payload.query: has a ')' without its '('", hiddenInComment);
        assertEquals("input.payload.query: must be one statement: ';' is not allowed outside strings and comments",
                CommandJobs.refusal("copy_to_file", Map.of("query", "SELECT 1; DROP TABLE " + table, "file", file)));
        assertEquals(2L, (Long) Jdbc.value("SELECT count(*) FROM public." + table));
    }

    @Test
    void aQueryThatWritesFailsInItsReadOnlyTransaction() {
        // given a data-modifying WITH, which starts like a query
        String table = tableWithTwoRows();
        String file = CommandsEnabled.FILES.resolve("ro-" + UUID.randomUUID() + ".csv").toString();

        var job = CommandJobs.finished(CommandJobs.create("copy_to_file", Map.of("query",
                "WITH gone AS (DELETE FROM public." + table + " RETURNING n) SELECT n FROM gone", "file", file)), "FAILED");

        assertTrue(job.getString("error").contains("in a read-only transaction"), job.getString("error"));
        assertEquals(2L, (Long) Jdbc.value("SELECT count(*) FROM public." + table));
    }

    @Test
    void namesAndOptionsAreQuotedSoTheyCannotCarrySql() throws Exception {
        // given a table and a column whose names need quoting, and option values with quotes and backslashes
        String table = "Copy \"odd\" " + UUID.randomUUID().toString().substring(0, 6);
        Jdbc.update("CREATE TABLE public.\"" + table.replace("\"", "\"\"") + "\" (\"Mixed Case\" text, n text)");
        Path in = Files.writeString(CommandsEnabled.FILES.resolve("odd-" + UUID.randomUUID() + ".csv"),
                "\"it's|here\"|x\\'); DROP TABLE y; --\n");

        // when they are copied in
        var job = CommandJobs.finished(CommandJobs.create("copy_from_file", Map.of("table", "public." + table,
                "columns", List.of("Mixed Case", "n"), "format", "csv", "delimiter", "|", "null", "x\\'); DROP TABLE y; --",
                "file", in.toString())), "COMPLETED");

        // then each value is data, nothing more
        assertEquals(1, job.getInt("result.rows"));
        assertEquals("it's|here null", Jdbc.value("SELECT \"Mixed Case\" || ' ' || coalesce(n, 'null') FROM public.\""
                + table.replace("\"", "\"\"") + "\""));
    }

    @Test
    void aStoppedCopyStopsItsBackendToo() {
        // given a copy whose query sends nothing for 10 minutes, far longer than the wait for its end
        String marker = "copy_sleep_" + UUID.randomUUID().toString().substring(0, 8);
        String file = CommandsEnabled.FILES.resolve(marker + ".csv").toString();

        var job = CommandJobs.finished(CommandJobs.create("copy_to_file", Map.of("query", "SELECT pg_sleep(600) AS " + marker,
                "file", file), Map.of("timeoutSeconds", 2)), "FAILED");

        // then it fails at its timeout, and its backend is gone
        assertEquals("timed out after 2s", job.getString("error"));
        dev.jobyard.testing.Await.until(java.time.Duration.ofSeconds(15),
                () -> Jdbc.<Long>value("SELECT count(*) FROM pg_stat_activity WHERE query LIKE ? AND state = 'active'", "COPY%" + marker + "%"),
                n -> n == 0, "the COPY's backend to be gone");
    }
}
