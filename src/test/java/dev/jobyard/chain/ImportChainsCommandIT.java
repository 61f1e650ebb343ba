package dev.jobyard.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.ReplicaProcess;
import dev.jobyard.testing.ReplicaProcess.CommandRun;

/**
 * {@code java -jar quarkus-run.jar import-chains FILE [--replace]}, the packaged application run as a command against
 * the test database: it imports through the service the importChains mutation uses (all or nothing, the YAML line in
 * errors, CONFLICT unless --replace), prints what it imported, and exits 0, 1 (refused, nothing stored) or 2 (usage).
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ImportChainsCommandIT {

    private static final Duration EXIT = Duration.ofMinutes(2);
    private final String suffix = "_" + UUID.randomUUID().toString().substring(0, 8);
    private final Path dir = Path.of("target", "it-commands", "import-chains" + suffix);

    @AfterEach
    void deleteTheChains() {
        // A chain's schedule row owns it (ON DELETE CASCADE); only this test's names.
        Jdbc.update("DELETE FROM jobyard.schedule WHERE name LIKE ?", "chain:%" + suffix);
    }

    private Path file(String yaml) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("chains-" + System.nanoTime() + ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private CommandRun importChains(String... args) {
        // The service's configuration, as an operator runs the command: sql tasks need the sql kind switched on.
        return ReplicaProcess.runCommand(dir, EXIT, Map.of("jobyard.commands.sql.enabled", "true"), args);
    }

    private List<Object> ids(String name) {
        return Jdbc.rows("SELECT id FROM jobyard.chain WHERE name = ?", name).stream().map(r -> r.get("id")).toList();
    }

    @Test
    void aFileIsImportedThenRefusedAsAConflictThenReplaced() throws IOException {
        String report = "daily_report" + suffix;
        String etl = "etl" + suffix;
        Path file = file("""
                chains:
                  - name: "%s"
                    schedule: "0 9 * * *"
                    max_instances: 1
                    tasks:
                      - name: "generate_report"
                        command: "CALL generate_daily_report()"
                  - name: "%s"
                    live: false
                    tasks:
                      - name: "extract"
                        command: "SELECT 1"
                      - name: "notify"
                        kind: "BUILTIN"
                        command: "SendMail"
                        parameters:
                          - username: "bot"
                            password: "secret"
                            toaddr: ["ops@example.com"]
                            subject: "done"
                            msgbody: "ok"
                """.formatted(report, etl));

        CommandRun first = importChains("import-chains", file.toString());

        assertEquals(0, first.exitCode(), first.err());
        assertTrue(first.out().contains("imported 2 chain(s)"), first.out());
        assertTrue(first.out().contains(report) && first.out().contains(etl), first.out());
        assertTrue(first.err().contains("warning") && first.err().contains("password"), "the credentials were left out: " + first.err());
        List<Object> before = ids(report);
        assertEquals(1, before.size());
        assertEquals(2L, Jdbc.<Long>value("SELECT count(*) FROM jobyard.chain_task t JOIN jobyard.chain c ON c.id = t.chain_id "
                + "WHERE c.name = ?", etl));
        assertEquals("PAUSED", Jdbc.value("SELECT s.status FROM jobyard.schedule s JOIN jobyard.chain c ON c.id = s.id "
                + "WHERE c.name = ?", etl));

        CommandRun again = importChains("import-chains", file.toString());

        assertEquals(1, again.exitCode(), again.out() + again.err());
        assertTrue(again.err().contains("nothing imported: CONFLICT"), again.err());
        assertEquals(before, ids(report), "the refused import changed nothing");

        CommandRun replaced = importChains("import-chains", file.toString(), "--replace");

        assertEquals(0, replaced.exitCode(), replaced.err());
        assertTrue(replaced.out().contains("imported 2 chain(s)") && replaced.out().contains("(replacing)"), replaced.out());
        assertEquals(1, ids(report).size());
        assertNotEquals(before, ids(report), "the chain was replaced by a new one");
    }

    @Test
    void aBadFileIsRefusedWholeWithItsLineAndABadCommandLineIsAUsageError() throws IOException {
        String first = "first" + suffix;
        Path file = file(ChainYamlTest.firstGoodSecondBad(first, suffix));

        CommandRun bad = importChains("import-chains", file.toString());

        assertEquals(1, bad.exitCode(), bad.out() + bad.err());
        assertTrue(bad.err().contains("BAD_USER_INPUT") && bad.err().contains("chains[1].tasks[1].command (line 9)"), bad.err());
        assertEquals(List.of(), ids(first), "nothing was imported");

        CommandRun noFile = importChains("import-chains");
        assertEquals(2, noFile.exitCode(), noFile.err());
        assertTrue(noFile.err().contains("usage: import-chains FILE [--replace]"), noFile.err());

        CommandRun missing = importChains("import-chains", dir.resolve("no-such.yaml").toString());
        assertEquals(2, missing.exitCode(), missing.err());
        assertTrue(missing.err().contains("cannot read"), missing.err());

        CommandRun unknown = importChains("export-everything");
        assertEquals(2, unknown.exitCode(), unknown.err());
        assertTrue(unknown.err().contains("unknown command 'export-everything'"), unknown.err());
    }
}
