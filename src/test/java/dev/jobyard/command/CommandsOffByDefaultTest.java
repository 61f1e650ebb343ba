package dev.jobyard.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * With no jobyard.commands settings, every dangerous kind is refused at creation with the setting that
 * would allow it, credentials written inline are refused everywhere, and http refuses loopback,
 * private, link-local and metadata addresses. No request leaves: each is refused at creation.
 */
@QuarkusTest
class CommandsOffByDefaultTest {

    @Test
    void sqlIsOffUntilEnabled() {
        assertEquals("input.kind: 'sql' jobs are disabled on this service; an operator enables them with jobyard.commands.sql.enabled=true",
                CommandJobs.refusal("sql", Map.of("sql", "SELECT 1")));
    }

    @Test
    void programIsOffUntilEnabled() {
        assertEquals("input.kind: 'program' jobs are disabled on this service; an operator enables them with "
                + "jobyard.commands.program.enabled=true", CommandJobs.refusal("program", Map.of("command", "echo")));
    }

    @Test
    void fileCopiesAreOffUntilEnabled() {
        Map<String, Object> in = Map.of("table", "t", "file", "/tmp/x.csv");
        Map<String, Object> out = Map.of("table", "t", "file", "/tmp/x.csv");
        assertEquals("input.kind: 'copy_from_file' jobs are disabled on this service; an operator enables them with "
                + "jobyard.commands.files.enabled=true", CommandJobs.refusal("copy_from_file", in));
        assertEquals("input.kind: 'copy_to_file' jobs are disabled on this service; an operator enables them with "
                + "jobyard.commands.files.enabled=true", CommandJobs.refusal("copy_to_file", out));
    }

    @Test
    void programCopiesAreOffUntilEnabled() {
        assertEquals("input.kind: 'copy_from_program' jobs are disabled on this service; an operator enables them with "
                + "jobyard.commands.copy-program.enabled=true",
                CommandJobs.refusal("copy_from_program", Map.of("table", "t", "command", "cat")));
        assertEquals("input.kind: 'copy_to_program' jobs are disabled on this service; an operator enables them with "
                + "jobyard.commands.copy-program.enabled=true",
                CommandJobs.refusal("copy_to_program", Map.of("table", "t", "command", "cat")));
    }

    @Test
    void downloadIsOffUntilEnabled() {
        assertEquals("input.kind: 'download' jobs are disabled on this service; an operator enables them with "
                + "jobyard.commands.download.enabled=true",
                CommandJobs.refusal("download", Map.of("urls", List.of("http://127.0.0.1/x"), "directory", "/tmp")));
    }

    @Test
    void shutdownIsOffUntilEnabled() {
        assertEquals("input.kind: 'shutdown' jobs are disabled on this service; an operator enables them with "
                + "jobyard.commands.shutdown.enabled=true", CommandJobs.refusal("shutdown", Map.of()));
    }

    @Test
    void urlsWhoseHostIsALoopbackPrivateLinkLocalOrMetadataAddressAreRefused() {
        for (String host : List.of("127.0.0.1", "0177.0.0.1", "0.0.0.0", "10.0.0.1",
                "172.16.5.4", "192.168.1.1", "100.100.100.200", "169.254.169.254", "[::1]", "[::]", "[::ffff:127.0.0.1]",
                "[::ffff:169.254.169.254]", "[fd00:ec2::254]", "[fe80::1]", "[64:ff9b::a9fe:a9fe]", "[2002:a9fe:a9fe::1]")) {
            String message = CommandJobs.refusal("http", Map.of("url", "http://" + host + "/latest/meta-data/"));
            assertTrue(message.startsWith("input.payload.url: host '" + host + "' is "), message);
            assertTrue(message.endsWith(", a loopback, private, link-local or metadata address; an operator allows its network"
                    + " with jobyard.commands.http.allowed-networks"), message);
        }
        assertTrue(CommandJobs.refusal("http", Map.of("url", "http://169.254.169.254/latest/meta-data/"))
                .contains("is 169.254.169.254, a loopback"));
        // Short and numeric forms that resolvers read as 127.0.0.1 have no host as a URI: refused as well.
        for (String host : List.of("127.1", "2130706433", "0x7f000001")) {
            CommandJobs.refusal("http", Map.of("url", "http://" + host + "/"));
        }
    }

    @Test
    void anInlineCredentialHeaderIsRefusedAndPointsToSecrets() {
        String message = CommandJobs.refusal("http", Map.of("url", "https://api.example.com/x",
                "headers", Map.of("Authorization", "Bearer abc")));

        assertEquals("input.payload.headers.Authorization: is a credential and must not be written in the payload, where queries"
                + " and history would show it; give {\"secret\": \"<name>\"} and set jobyard.secrets.<name>", message);
    }

    @Test
    void aReferenceToASecretThatIsNotConfiguredIsRefused() {
        assertEquals("input.payload.headers.Authorization: no secret 'missing' is configured (jobyard.secrets.missing)",
                CommandJobs.refusal("http", Map.of("url", "https://api.example.com/x",
                        "headers", Map.of("Authorization", Map.of("secret", "missing")))));
    }

    @Test
    void mailAttachmentsFromFilesNeedAnAllowedDirectory() {
        assertEquals("input.payload.attachments[0].path: no directory is allowed yet; an operator lists them in "
                + "jobyard.commands.files.directories", CommandJobs.refusal("send_mail", Map.of("to", List.of("a@example.com"),
                        "subject", "s", "text", "t", "attachments", List.of(Map.of("path", "/etc/passwd")))));
    }
}
