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
        String table = "public.copy_" + UUID.randomUUID().toString().substring(0, 8);
        Jdbc.update("CREATE TABLE " + table + " (id int, name text, amount numeric)");
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

        var loaded = CommandJobs.finished(CommandJobs.create("copy_from_file", Map.of(
                "sql", "COPY " + table + " (id, name, amount) FROM STDIN WITH (FORMAT csv, HEADER true)", "file", in.toString())),
                "COMPLETED");
        var dumped = CommandJobs.finished(CommandJobs.create("copy_to_file", Map.of(
                "sql", "COPY (SELECT id, name, amount FROM " + table + " ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER true)",
                "file", out.toString())), "COMPLETED");

        assertEquals(ROWS, loaded.getInt("result.rows"));
        assertEquals(ROWS, dumped.getInt("result.rows"));
        assertEquals(Files.size(in), dumped.getLong("result.bytes"));
        assertEquals(-1L, Files.mismatch(in, out), "the file written back is the file read in, byte for byte");
        assertEquals("500000500000 499750000.00", Jdbc.value("SELECT sum(id) || ' ' || sum(amount) FROM " + table));
    }

    @Test
    void copyFromAProgramStreamsItsOutputAndCopyToAProgramFeedsItsInput() {
        String table = "public.copy_" + UUID.randomUUID().toString().substring(0, 8);
        Jdbc.update("CREATE TABLE " + table + " (n int)");

        var loaded = CommandJobs.finished(CommandJobs.create("copy_from_program", Map.of("sql", "COPY " + table + " FROM STDIN",
                "command", "seq", "args", List.of("1", String.valueOf(ROWS)))), "COMPLETED");
        var counted = CommandJobs.finished(CommandJobs.create("copy_to_program", Map.of("sql", "COPY " + table + " TO STDOUT",
                "command", "wc", "args", List.of("-l"))), "COMPLETED");

        assertEquals(ROWS, loaded.getInt("result.rows"));
        assertEquals(0, loaded.getInt("result.exitCode"));
        assertEquals(ROWS, counted.getInt("result.rows"));
        assertEquals(ROWS + "\n", counted.getString("result.stdout"), "wc read every row the COPY wrote");
    }

    @Test
    void aProgramThatFailsRollsTheCopyBack() {
        String table = "public.copy_" + UUID.randomUUID().toString().substring(0, 8);
        Jdbc.update("CREATE TABLE " + table + " (n int)");

        var job = CommandJobs.finished(CommandJobs.create("copy_from_program", Map.of("sql", "COPY " + table + " FROM STDIN",
                "command", "/bin/sh", "args", List.of("-c", "seq 1 10; echo broken >&2; exit 2"))), "FAILED");

        assertEquals("exit code 2; the COPY was rolled back", job.getString("error"));
        assertEquals(0L, (Long) Jdbc.value("SELECT count(*) FROM " + table));
        Map<?, ?> output = (Map<?, ?>) CommandJobs.attemptOutputs(job.getString("id")).get(0).get("output");
        assertEquals("broken\n", output.get("stderr"));
    }

    @Test
    void aHangingProgramIsKilledAtTheTimeoutAndItsCopyRolledBack() {
        String table = "public.copy_" + UUID.randomUUID().toString().substring(0, 8);
        Jdbc.update("CREATE TABLE " + table + " (n int)");
        String marker = String.valueOf(1_000_000 + new java.util.Random().nextInt(8_000_000));

        var job = CommandJobs.finished(CommandJobs.create("copy_from_program", Map.of("sql", "COPY " + table + " FROM STDIN",
                "command", "/bin/sh", "args", List.of("-c", "seq 1 5; sleep " + marker)), Map.of("timeoutSeconds", 1)), "FAILED");

        assertEquals("timed out after 1s", job.getString("error"));
        assertEquals(0L, (Long) Jdbc.value("SELECT count(*) FROM " + table));
        dev.jobyard.testing.Await.until(java.time.Duration.ofSeconds(10), () -> {
            try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
                return all.filter(p -> p.info().commandLine().map(c -> c.endsWith("sleep " + marker)).orElse(false)).count();
            }
        }, n -> n == 0, "the program's sleep to be gone");
    }

    @Test
    void aBadCopyStatementFailsWithPostgresqlsMessage() throws Exception {
        Path in = writeCsv(CommandsEnabled.FILES.resolve("bad-" + UUID.randomUUID() + ".csv"), 3);

        var job = CommandJobs.finished(CommandJobs.create("copy_from_file", Map.of("sql", "COPY no_such_table FROM STDIN",
                "file", in.toString())), "FAILED");

        assertTrue(job.getString("error").contains("relation \"no_such_table\" does not exist"), job.getString("error"));
    }
}
