package dev.jobyard.command.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.jobyard.command.CommandJobs;
import dev.jobyard.command.CommandsEnabled;
import dev.jobyard.testing.Await;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** jobyard.commands.http.timeout bounds the whole exchange, the body included, also for a job without a timeout of its own. */
@QuarkusTest
@TestProfile(HttpTimeoutTest.ShortHttpTimeout.class)
class HttpTimeoutTest {

    /** The commands profile with a 2 s HTTP timeout. */
    public static class ShortHttpTimeout extends CommandsEnabled {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("jobyard.commands.http.timeout", "2s");
            return config;
        }
    }

    private final LocalHttpServer server = new LocalHttpServer();

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void aBodyThatTakesLongerThanTheHttpTimeoutFailsTheAttempt() {
        // given a server that answers at once, then sends its body one byte a second, for two minutes
        String id = CommandJobs.create("http", Map.of("url", server.url("/slow/120")));

        // then the attempt fails at the HTTP timeout, and the connection is closed
        String error = CommandJobs.finished(id, "FAILED").getString("error");
        assertTrue(error.endsWith("no complete response within 2s (jobyard.commands.http.timeout)"), error);
        Await.until(Duration.ofSeconds(15), server.slowClientGone::get, gone -> gone, "the client to hang up");
    }
}
