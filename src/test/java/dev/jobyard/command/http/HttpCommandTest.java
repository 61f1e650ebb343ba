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

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.jobyard.command.CommandJobs;
import dev.jobyard.command.CommandsEnabled;
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
}
