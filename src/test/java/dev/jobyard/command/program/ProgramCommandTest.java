package dev.jobyard.command.program;

import static dev.jobyard.testing.GraphQLClient.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import dev.jobyard.command.CommandJobs;
import dev.jobyard.command.CommandsEnabled;
import dev.jobyard.testing.Await;
import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The program command: real processes that succeed, fail, print a lot, hang and get cancelled, without a shell. */
@QuarkusTest
@TestProfile(CommandsEnabled.class)
class ProgramCommandTest {

    @Test
    void aProgramThatExitsZeroSucceedsWithItsOutput() {
        String id = CommandJobs.create("program", Map.of("command", "echo", "args", List.of("hello", "$HOME", "; rm -rf /")));

        var job = CommandJobs.finished(id, "COMPLETED");

        assertEquals(0, job.getInt("result.exitCode"));
        assertEquals("hello $HOME ; rm -rf /\n", job.getString("result.stdout"), "arguments reach the program as they are, no shell");
        assertEquals("", job.getString("result.stderr"));
    }

    @Test
    void aNonZeroExitFailsTheAttemptAndHistoryKeepsWhatItPrinted() {
        String id = CommandJobs.create("program", Map.of("command", "/bin/sh", "args",
                List.of("-c", "echo to-stdout; echo to-stderr >&2; exit 3")), Map.of("maxAttempts", 2));

        var job = CommandJobs.finished(id, "FAILED");

        assertEquals("exit code 3", job.getString("error"));
        var outputs = CommandJobs.attemptOutputs(id);
        assertEquals(List.of(1, 2), outputs.stream().map(o -> o.get("attempt")).toList(), "each attempt's output is kept");
        Map<?, ?> output = (Map<?, ?>) outputs.get(1).get("output");
        assertEquals(3, output.get("exitCode"));
        assertEquals("to-stdout\n", output.get("stdout"));
        assertEquals("to-stderr\n", output.get("stderr"));
    }

    @Test
    void outputBeyondTheCapIsCountedButNotKept() {
        String id = CommandJobs.create("program", Map.of("command", "seq", "args", List.of("1", "1000000")));

        var job = CommandJobs.finished(id, "COMPLETED");

        assertEquals(10_000, job.getString("result.stdout").length(), "jobyard.commands.max-output-bytes is 10000 here");
        assertTrue(job.getString("result.stdout").startsWith("1\n2\n3\n"));
        assertEquals(6_888_896L, job.getLong("result.stdoutBytes"), "every byte of seq 1 1000000 was read");
        assertTrue(job.getBoolean("result.stdoutTruncated"));
    }

    @Test
    void stdinEnvironmentAndWorkingDirectoryReachTheProgram() throws Exception {
        var cat = CommandJobs.finished(CommandJobs.create("program", Map.of("command", "cat", "stdin", "line one\nline two\n")), "COMPLETED");
        var env = CommandJobs.finished(CommandJobs.create("program", Map.of("command", "env",
                "env", Map.of("GREETING", "hi", "TOKEN", Map.of("secret", "api-token")))), "COMPLETED");
        var secret = CommandJobs.finished(CommandJobs.create("program", Map.of("command", "/bin/sh", "args",
                List.of("-c", "test \"$TOKEN\" = '" + CommandsEnabled.SECRET + "' && echo received"),
                "env", Map.of("TOKEN", Map.of("secret", "api-token")))), "COMPLETED");
        var pwd = CommandJobs.finished(CommandJobs.create("program", Map.of("command", "pwd", "cwd", CommandsEnabled.WORK.toString())),
                "COMPLETED");

        assertEquals("line one\nline two\n", cat.getString("result.stdout"));
        String vars = env.getString("result.stdout");
        assertTrue(vars.contains("GREETING=hi\n"), vars);
        assertTrue(vars.contains("TOKEN=[secret]\n"), "the secret the program printed is masked: " + vars);
        assertEquals("received\n", secret.getString("result.stdout"), "the program got the secret's value");
        assertFalse(vars.contains("JOBYARD_TEST_DB_URL") || vars.contains("QUARKUS_"), "the service's environment is not inherited: " + vars);
        assertEquals(Map.of("secret", "api-token"), env.getMap("payload.env.TOKEN"), "the payload keeps the reference, not the value");
        assertEquals(CommandsEnabled.WORK.toRealPath() + "\n", pwd.getString("result.stdout"));
    }

    @Test
    void aProgramPastItsTimeoutIsKilledWithItsWholeProcessTree() {
        String marker = uniqueSleep();
        String id = CommandJobs.create("program", Map.of("command", "/bin/sh", "args",
                List.of("-c", "echo started; sleep " + marker + " & sleep " + marker + " & wait")), Map.of("timeoutSeconds", 1));

        var job = CommandJobs.finished(id, "FAILED");

        assertEquals("timed out after 1s", job.getString("error"));
        assertNoProcessRuns("sleep " + marker);
        Map<?, ?> output = (Map<?, ?>) CommandJobs.attemptOutputs(id).get(0).get("output");
        assertEquals("started\n", output.get("stdout"), "what it printed before the kill is kept");
    }

    @Test
    void aCancelledProgramIsKilledWithItsWholeProcessTree() {
        String marker = uniqueSleep();
        String id = CommandJobs.create("program", Map.of("command", "/bin/sh", "args",
                List.of("-c", "sleep " + marker + " & (sleep " + marker + " & wait) & wait")));
        Jobs.awaitStatus(id, "RUNNING");
        Await.until(Duration.ofSeconds(10), () -> processesRunning("sleep " + marker), n -> n == 2, "both sleeps to start");

        ok("mutation($id: ID!) { cancelJob(id: $id, reason: \"enough\") { id } }", Map.of("id", id));

        assertEquals("enough", CommandJobs.finished(id, "CANCELLED").getString("error"));
        assertNoProcessRuns("sleep " + marker);
        assertEquals("CANCELLED", CommandJobs.attemptOutputs(id).get(0).get("status"));
    }

    @Test
    void aMissingExecutableFailsTheAttempt() throws Exception {
        Path work = CommandsEnabled.WORK;
        Files.createDirectories(work);
        String id = CommandJobs.create("program", Map.of("command", "wc", "args", List.of("-l", "/no/such/file")));

        var job = CommandJobs.finished(id, "FAILED");

        assertEquals("exit code 1", job.getString("error"));
        String stderr = (String) ((Map<?, ?>) CommandJobs.attemptOutputs(id).get(0).get("output")).get("stderr");
        assertTrue(stderr.contains("No such file or directory"), stderr);
    }

    @Test
    void loaderShellAndInterpreterVariablesAreRefused() {
        // given a shared object a download could have put into the files directory
        String preload = CommandJobs.refusal("program", Map.of("command", "echo", "env",
                Map.of("LD_PRELOAD", CommandsEnabled.FILES.resolve("evil.so").toString())));

        assertEquals("input.payload.env.LD_PRELOAD: 'LD_PRELOAD' may not be set: it changes which code the program loads or runs"
                + " (loader, shell and interpreter variables and PATH are refused; see docs/security.md)", preload);
        for (String name : List.of("LD_LIBRARY_PATH", "ld_audit", "PATH", "BASH_ENV", "ENV", "IFS", "PYTHONSTARTUP", "PERL5OPT",
                "RUBYOPT", "NODE_OPTIONS", "JAVA_TOOL_OPTIONS", "GLIBC_TUNABLES", "MY_PRELOAD", "BASH_FUNC_echo%%", "A=B")) {
            String message = CommandJobs.refusal("copy_from_program", Map.of("table", "t", "command", "cat", "env", Map.of(name, "x")));
            assertTrue(message.startsWith("input.payload.env." + name + ": '" + name + "'"), message);
        }
    }

    @Test
    void aProgramCannotReadTheServicesEnvironmentOrRunAsRoot() {
        // given the service's own process, whose environment holds its secrets
        long service = ProcessHandle.current().pid();

        // when a program tries to read it, and says who it is
        String read = CommandJobs.create("program", Map.of("command", "cat", "args", List.of("/proc/" + service + "/environ")));
        var who = CommandJobs.finished(CommandJobs.create("program", Map.of("command", "id", "args", List.of("-u"))), "COMPLETED");

        // then the kernel refuses it: the program runs as another, unprivileged user
        var job = CommandJobs.finished(read, "FAILED");
        Map<?, ?> output = (Map<?, ?>) CommandJobs.attemptOutputs(read).get(0).get("output");
        assertEquals("exit code 1", job.getString("error"));
        assertTrue(((String) output.get("stderr")).contains("Permission denied"), output.toString());
        assertEquals("", output.get("stdout"));
        assertFalse(who.getString("result.stdout").trim().equals("0"), "programs never run as root: " + who.getString("result.stdout"));
    }

    @Test
    void aSecretIsUsableOnlyByTheKindsItIsAllowedFor() {
        String message = CommandJobs.refusal("copy_from_program", Map.of("table", "t", "command", "cat",
                "env", Map.of("TOKEN", Map.of("secret", "api-token"))));

        assertEquals("input.payload.env.TOKEN: secret 'api-token' may not be used by 'copy_from_program' jobs; an operator allows"
                + " it with jobyard.commands.secrets.api-token.kinds [http, program]", message);
    }

    /** A sleep length no other test or process uses, so the process table can be searched for it. */
    private static String uniqueSleep() {
        return String.valueOf(ThreadLocalRandom.current().nextInt(100_000, 999_999));
    }

    private static long processesRunning(String commandLine) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.endsWith(commandLine)).orElse(false))
                .count();
    }

    private static void assertNoProcessRuns(String commandLine) {
        Await.until(Duration.ofSeconds(10), () -> processesRunning(commandLine), n -> n == 0,
                "no process '" + commandLine + "' to be left");
    }
}
