package dev.jobyard.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * With the commands enabled, the rules still hold: files stay in jobyard.commands.files.directories
 * (no '..', no symlink leading out, also when the symlink appears after creation), programs come from
 * the allow-list and run in allowed directories, HTTP reaches allowed hosts only.
 */
@QuarkusTest
@TestProfile(CommandsEnabled.class)
class SafetyRulesTest {

    private static final String FILES_KEY = "jobyard.commands.files.directories";

    private static Map<String, Object> copyIn(String file) {
        return Map.of("table", "t", "file", file);
    }

    @Test
    void aRelativePathWithDotDotIsRefused() {
        String message = CommandJobs.refusal("copy_from_file", copyIn("../outside/data.csv"));

        assertEquals("input.payload.file: '../outside/data.csv' contains '..'; paths must stay inside " + FILES_KEY, message);
    }

    @Test
    void anAbsolutePathThroughDotDotIsRefusedEvenIfItWouldLandInside() {
        String sneaky = CommandsEnabled.FILES + "/../files/data.csv";

        assertTrue(CommandJobs.refusal("copy_to_file", Map.of("table", "t", "file", sneaky)).contains("contains '..'"));
    }

    @Test
    void aPathOutsideTheDirectoriesIsRefused() {
        String message = CommandJobs.refusal("copy_from_file", copyIn(CommandsEnabled.OUTSIDE.resolve("data.csv").toString()));

        assertTrue(message.startsWith("input.payload.file: '" + CommandsEnabled.OUTSIDE.resolve("data.csv")
                + "' is outside the directories in " + FILES_KEY), message);
    }

    @Test
    void aSymlinkedDirectoryLeadingOutIsRefused() throws Exception {
        Path link = CommandsEnabled.FILES.resolve("link-" + UUID.randomUUID().toString().substring(0, 8));
        Files.createSymbolicLink(link, CommandsEnabled.OUTSIDE);

        String message = CommandJobs.refusal("copy_to_file", Map.of("table", "t", "file", link.resolve("dump.csv").toString()));

        assertTrue(message.contains("is outside the directories in " + FILES_KEY + " [" + CommandsEnabled.FILES + "] (it resolves to "
                + CommandsEnabled.OUTSIDE.toRealPath().resolve("dump.csv") + ")"), message);
    }

    @Test
    void aSymlinkedFileLeadingOutIsRefused() throws Exception {
        Path secret = Files.writeString(CommandsEnabled.OUTSIDE.resolve("secret-" + UUID.randomUUID() + ".csv"), "1\n");
        Path link = CommandsEnabled.FILES.resolve("innocent-" + UUID.randomUUID().toString().substring(0, 8) + ".csv");
        Files.createSymbolicLink(link, secret);

        assertTrue(CommandJobs.refusal("copy_from_file", copyIn(link.toString())).contains("is outside the directories"));
        assertTrue(CommandJobs.refusal("send_mail", Map.of("to", List.of("a@example.com"), "subject", "s", "text", "t",
                "attachments", List.of(Map.of("path", link.toString())))).contains("is outside the directories"));
    }

    @Test
    void aSymlinkPlantedAfterCreationIsCaughtWhenTheJobRuns() throws Exception {
        assertTrue(errorAfterPlanting(Files::createSymbolicLink).contains("is outside the directories"));
    }

    /**
     * Creates a paused copy_to_file job, then plants a link at its file to a victim outside the
     * directories and lets it run; returns its error after checking that the victim is untouched.
     */
    private static String errorAfterPlanting(Plant plant) throws Exception {
        String queue = Jobs.uniqueQueue();
        Jobs.pause(queue);
        Path target = CommandsEnabled.FILES.resolve("later-" + UUID.randomUUID().toString().substring(0, 8) + ".csv");
        String id = Jobs.create(Map.of("kind", "copy_to_file", "queue", queue, "maxAttempts", 1,
                "payload", Map.of("query", "SELECT 'overwritten'", "file", target.toString())));
        Path victim = Files.writeString(CommandsEnabled.OUTSIDE.resolve("victim-" + UUID.randomUUID() + ".txt"), "untouched");
        plant.link(target, victim);

        Jobs.resume(queue);

        String error = CommandJobs.finished(id, "FAILED").getString("error");
        assertEquals("untouched", Files.readString(victim));
        return error;
    }

    @FunctionalInterface
    private interface Plant {
        Object link(Path link, Path target) throws Exception;
    }

    @Test
    void aDownloadDirectoryOutsideIsRefused() {
        assertTrue(CommandJobs.refusal("download", Map.of("urls", List.of("http://127.0.0.1/a.txt"),
                "directory", CommandsEnabled.OUTSIDE.toString())).contains("is outside the directories in " + FILES_KEY));
    }

    @Test
    void programsOffTheAllowListAreRefusedShellsIncluded() {
        String bash = CommandJobs.refusal("program", Map.of("command", "bash", "args", List.of("-c", "id")));
        String shByName = CommandJobs.refusal("program", Map.of("command", "sh", "args", List.of("-c", "id")));
        String fromProgram = CommandJobs.refusal("copy_from_program", Map.of("table", "t", "command", "curl"));

        assertTrue(bash.startsWith("input.payload.command: 'bash' is not an allowed program; an operator adds it to "
                + "jobyard.commands.program.allowed ["), bash);
        assertTrue(shByName.contains("'sh' is not an allowed program"), "only /bin/sh is listed, by path: " + shByName);
        assertTrue(fromProgram.contains("'curl' is not an allowed program"), fromProgram);
    }

    @Test
    void aRelativeProgramPathIsRefused() {
        assertTrue(CommandJobs.refusal("program", Map.of("command", "bin/echo")).contains("must be a program name or an absolute path"));
    }

    @Test
    void aWorkingDirectoryOutsideOrBehindASymlinkIsRefused() throws Exception {
        Path link = CommandsEnabled.WORK.resolve("away-" + UUID.randomUUID().toString().substring(0, 8));
        Files.createSymbolicLink(link, CommandsEnabled.OUTSIDE);

        String outside = CommandJobs.refusal("program", Map.of("command", "pwd", "cwd", CommandsEnabled.OUTSIDE.toString()));
        String behindLink = CommandJobs.refusal("program", Map.of("command", "pwd", "cwd", link.toString()));

        assertTrue(outside.contains("is outside the directories in jobyard.commands.program.directories"), outside);
        assertTrue(behindLink.contains("is outside the directories in jobyard.commands.program.directories"), behindLink);
    }

    @Test
    void hostsOffTheAllowListAreRefused() {
        String http = CommandJobs.refusal("http", Map.of("url", "https://example.com/api"));
        String download = CommandJobs.refusal("download", Map.of("urls", List.of("http://127.0.0.1/a", "http://example.org/b"),
                "directory", CommandsEnabled.FILES.toString()));

        assertEquals("input.payload.url: host 'example.com' is not allowed; an operator adds it to jobyard.commands.http.allowed-hosts"
                + " [127.0.0.1, localhost]", http);
        assertTrue(download.startsWith("input.payload.urls[1]: host 'example.org' is not allowed"), download);
    }

    @Test
    void onlyHttpUrlsAreAccepted() {
        assertTrue(CommandJobs.refusal("http", Map.of("url", "file:///etc/passwd")).contains("must be an http:// or https:// URL"));
    }

    @Test
    void aCopyIntoTheDatabaseTakesATableNotAQuery() {
        assertEquals("input.payload.query: a copy into the database takes a table, not a query",
                CommandJobs.refusal("copy_from_file", Map.of("query", "SELECT 1", "file", "x.csv")));
    }

    @Test
    void aHardLinkInAnAllowedDirectoryToAFileOutsideIsRefused() throws Exception {
        // given a file outside the directories and a hard link to it inside
        Path secret = Files.writeString(CommandsEnabled.OUTSIDE.resolve("shadow-" + UUID.randomUUID() + ".csv"), "1\n");
        Path link = CommandsEnabled.FILES.resolve("hard-" + UUID.randomUUID().toString().substring(0, 8) + ".csv");
        Files.createLink(link, secret);

        // when jobs read or overwrite it, then they are refused: the link may lead anywhere
        String read = CommandJobs.refusal("copy_from_file", copyIn(link.toString()));
        String write = CommandJobs.refusal("copy_to_file", Map.of("table", "t", "file", link.toString()));
        String attach = CommandJobs.refusal("send_mail", Map.of("to", List.of("a@example.com"), "subject", "s", "text", "t",
                "attachments", List.of(Map.of("path", link.toString()))));

        assertEquals("input.payload.file: '" + link + "' has other hard links, which may lead outside " + FILES_KEY
                + "; only files with one name are used", read);
        assertTrue(write.contains("has other hard links"), write);
        assertTrue(attach.contains("has other hard links"), attach);
        assertEquals("1\n", Files.readString(secret));
    }

    @Test
    void aHardLinkPlantedAfterCreationIsCaughtWhenTheJobRuns() throws Exception {
        assertTrue(errorAfterPlanting(Files::createLink).contains("has other hard links"));
    }
}
