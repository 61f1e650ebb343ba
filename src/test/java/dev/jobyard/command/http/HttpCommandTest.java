package dev.jobyard.command.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.jobyard.testing.GraphQLClient.ok;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.jobyard.command.CommandJobs;
import dev.jobyard.command.CommandsEnabled;
import dev.jobyard.testing.Await;
import dev.jobyard.testing.Jdbc;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** http and download against a real HTTP server started by the test. */
@QuarkusTest
@TestProfile(CommandsEnabled.class)
class HttpCommandTest {

    private final LocalHttpServer server = new LocalHttpServer();

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void aRequestWithMethodHeadersAndBodySucceedsOn2xx() {
        String id = CommandJobs.create("http", Map.of("method", "post", "url", server.url("/echo"),
                "headers", Map.of("X-Trace", "t-1"), "body", Map.of("n", 1)));

        var job = CommandJobs.finished(id, "COMPLETED");

        assertEquals(200, job.getInt("result.status"));
        assertEquals("POST /echo {\"n\":1}", job.getString("result.body"));
        assertEquals("local-test", job.getString("result.headers.x-served-by"));
        assertNull(job.get("result.headers.set-cookie"), "cookies are credentials: not kept");
        var request = server.received.get(0);
        assertEquals("t-1", request.headers().get("X-trace").get(0));
        assertEquals("application/json", request.headers().get("Content-type").get(0));
    }

    @Test
    void aNon2xxStatusFailsTheAttemptAndKeepsTheResponse() {
        String id = CommandJobs.create("http", Map.of("url", server.url("/status/503")));

        var job = CommandJobs.finished(id, "FAILED");

        assertEquals("HTTP 503", job.getString("error"));
        Map<?, ?> output = (Map<?, ?>) CommandJobs.attemptOutputs(id).get(0).get("output");
        assertEquals(503, output.get("status"));
        assertEquals("status 503", output.get("body"));
    }

    @Test
    void aLargeBodyIsCapped() {
        String id = CommandJobs.create("http", Map.of("url", server.url("/bytes/50000")));

        var job = CommandJobs.finished(id, "COMPLETED");

        assertEquals(10_000, job.getString("result.body").length());
        assertEquals(50_000, job.getInt("result.bodyBytes"));
        assertTrue(job.getBoolean("result.bodyTruncated"));
    }

    @Test
    void aSecretHeaderIsSentButNeverStoredOrReturned() {
        String id = CommandJobs.create("http", Map.of("url", server.url("/whoami"),
                "headers", Map.of("Authorization", Map.of("secret", "api-token"))));

        var job = CommandJobs.finished(id, "COMPLETED");

        assertEquals(CommandsEnabled.SECRET, server.received.get(0).headers().get("Authorization").get(0));
        assertEquals("you sent [secret]", job.getString("result.body"), "what the server echoed is masked");
        assertEquals("[secret]", job.getString("result.headers.x-echo-auth"));
        assertFalse(job.prettify().contains(CommandsEnabled.SECRET), "neither payload nor result shows the secret");
        assertEquals(0L, (Long) dev.jobyard.testing.Jdbc.value(
                "SELECT count(*) FROM jobyard.job_history WHERE id = ? AND (payload::text LIKE ? OR result::text LIKE ?)",
                Long.parseLong(id), "%" + CommandsEnabled.SECRET + "%", "%" + CommandsEnabled.SECRET + "%"));
    }

    @Test
    void downloadFetchesEveryUrlIntoTheDirectoryWithSeveralWorkers() throws Exception {
        Path dir = Files.createDirectories(CommandsEnabled.FILES.resolve("dl-" + UUID.randomUUID().toString().substring(0, 8)));
        List<String> urls = List.of(server.url("/bytes/a-100"), server.url("/bytes/b-2000"), server.url("/bytes/c-30000"));

        String id = CommandJobs.create("download", Map.of("urls", urls, "directory", dir.toString(), "workers", 3));

        var job = CommandJobs.finished(id, "COMPLETED");
        assertEquals(3, job.getList("result.files").size());
        assertEquals(100L, Files.size(dir.resolve("a-100")));
        assertEquals(2000L, Files.size(dir.resolve("b-2000")));
        assertEquals(30000L, Files.size(dir.resolve("c-30000")));
        assertEquals(3, server.received.size());
    }

    @Test
    void aDownloadThatFailsFailsTheAttemptAndNamesTheUrl() throws Exception {
        Path dir = Files.createDirectories(CommandsEnabled.FILES.resolve("dl-" + UUID.randomUUID().toString().substring(0, 8)));

        String id = CommandJobs.create("download", Map.of("urls", List.of(server.url("/bytes/ok-10"), server.url("/status/404")),
                "directory", dir.toString()));

        var job = CommandJobs.finished(id, "FAILED");
        assertEquals("1 of 2 downloads failed", job.getString("error"));
        List<?> files = (List<?>) ((Map<?, ?>) CommandJobs.attemptOutputs(id).get(0).get("output")).get("files");
        assertEquals("HTTP 404", ((Map<?, ?>) files.get(1)).get("error"));
        assertTrue(Files.exists(dir.resolve("ok-10")));
        assertFalse(Files.exists(dir.resolve("404")), "a failed download leaves no file");
    }

    @Test
    void aSecretIsRefusedForAHostItIsNotAllowedFor() {
        // given api-token, allowed for http towards 127.0.0.1 only
        String message = CommandJobs.refusal("http", Map.of("url", server.url("/whoami").replace("127.0.0.1", "localhost"),
                "headers", Map.of("X-Anything", Map.of("secret", "api-token"))));

        assertEquals("input.payload.headers.X-Anything: secret 'api-token' may not be sent to host 'localhost'; an operator"
                + " allows it with jobyard.commands.secrets.api-token.hosts [127.0.0.1]", message);
        assertEquals(0, server.received.size());
    }

    @Test
    void aSecretEchoedBackBase64EncodedIsMaskedToo() {
        String id = CommandJobs.create("http", Map.of("url", server.url("/whoami-base64"),
                "headers", Map.of("Authorization", Map.of("secret", "api-token"))));

        var job = CommandJobs.finished(id, "COMPLETED");

        String stored = Jdbc.value("SELECT result::text FROM jobyard.job_history WHERE id = ?", Long.parseLong(id));
        String alone = Base64.getEncoder().encodeToString(CommandsEnabled.SECRET.getBytes(StandardCharsets.UTF_8));
        String afterUser = Base64.getEncoder().encodeToString(("user:" + CommandsEnabled.SECRET).getBytes(StandardCharsets.UTF_8));
        assertTrue(job.getString("result.body").contains("[secret]"), job.getString("result.body"));
        assertTrue(job.getString("result.headers.x-echo-auth").contains("[secret]"), job.getString("result.headers.x-echo-auth"));
        // All but the edges (which also encode the bytes around the secret) are gone.
        assertFalse(stored.contains(alone.substring(0, alone.length() - 4)), stored);
        assertFalse(stored.contains(afterUser.substring(8, afterUser.length() - 4)), stored);
    }

    @Test
    void aSlowBodyIsCutAtTheJobTimeout() {
        String id = CommandJobs.create("http", Map.of("url", server.url("/slow/120")), Map.of("timeoutSeconds", 2));

        assertEquals("timed out after 2s", CommandJobs.finished(id, "FAILED").getString("error"));
        Await.until(Duration.ofSeconds(15), server.slowClientGone::get, gone -> gone, "the client to hang up");
        assertTrue(server.slowBytesSent.get() < 60, "sent " + server.slowBytesSent.get());
    }

    @Test
    void aCancelledRequestStopsReadingTheBody() {
        String id = CommandJobs.create("http", Map.of("url", server.url("/slow/120")));
        Await.until(Duration.ofSeconds(30), server.slowBytesSent::get, n -> n >= 1, "the body to start");

        ok("mutation($id: ID!) { cancelJob(id: $id, reason: \"too slow\") { id } }", Map.of("id", id));

        assertEquals("too slow", CommandJobs.finished(id, "CANCELLED").getString("error"));
        Await.until(Duration.ofSeconds(15), server.slowClientGone::get, gone -> gone, "the client to hang up");
    }

    @Test
    void aCancelledDownloadRemovesItsPartialFile() throws Exception {
        Path dir = Files.createDirectories(CommandsEnabled.FILES.resolve("dl-" + UUID.randomUUID().toString().substring(0, 8)));
        String id = CommandJobs.create("download", Map.of("urls", List.of(server.url("/slow/120")), "directory", dir.toString()));
        Path partial = dir.resolve("120");
        Await.until(Duration.ofSeconds(30), () -> partial.toFile().length(), n -> n >= 1, "a partial file");

        ok("mutation($id: ID!) { cancelJob(id: $id) { id } }", Map.of("id", id));

        CommandJobs.finished(id, "CANCELLED");
        assertFalse(Files.exists(partial), "the partial file is removed");
        Await.until(Duration.ofSeconds(15), server.slowClientGone::get, gone -> gone, "the client to hang up");
    }

    @Test
    void aDownloadLargerThanTheCapFailsAndLeavesNoFile() throws Exception {
        Path dir = Files.createDirectories(CommandsEnabled.FILES.resolve("dl-" + UUID.randomUUID().toString().substring(0, 8)));
        long over = CommandsEnabled.DOWNLOAD_MAX_BYTES + 1;

        String id = CommandJobs.create("download", Map.of("urls", List.of(server.url("/bytes/declared-" + over),
                server.url("/chunked/" + over), server.url("/bytes/fits-" + CommandsEnabled.DOWNLOAD_MAX_BYTES)), "directory", dir.toString()));

        var job = CommandJobs.finished(id, "FAILED");
        assertEquals("2 of 3 downloads failed", job.getString("error"));
        List<?> files = (List<?>) ((Map<?, ?>) CommandJobs.attemptOutputs(id).get(0).get("output")).get("files");
        for (int i = 0; i < 2; i++) {
            String error = (String) ((Map<?, ?>) files.get(i)).get("error");
            assertTrue(error.startsWith("larger than " + CommandsEnabled.DOWNLOAD_MAX_BYTES + " bytes") && error.endsWith(
                    "the limit is jobyard.commands.download.max-bytes"), error);
        }
        assertFalse(Files.exists(dir.resolve("declared-" + over)));
        assertFalse(Files.exists(dir.resolve(String.valueOf(over))));
        assertEquals(CommandsEnabled.DOWNLOAD_MAX_BYTES, Files.size(dir.resolve("fits-" + CommandsEnabled.DOWNLOAD_MAX_BYTES)));
    }
}
