package dev.jobyard.command.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.jobyard.command.CommandJobs;
import io.quarkus.test.junit.QuarkusTest;

/**
 * With the default settings (http on, no allowed networks), a host name is checked on the addresses it
 * resolves to, right before the request: {@code localhost} passes creation, as a name, and is refused
 * when the job runs. The only server involved listens on loopback, and receives nothing.
 */
@QuarkusTest
class HttpAddressRulesTest {

    private final LocalHttpServer server = new LocalHttpServer();

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void aNameThatResolvesToLoopbackIsRefusedWhenTheJobRuns() {
        String url = server.url("/echo").replace("127.0.0.1", "localhost");

        var job = CommandJobs.finished(CommandJobs.create("http", Map.of("url", url)), "FAILED");

        String error = job.getString("error");
        assertEquals(true, error.startsWith("payload.url: host 'localhost' is ") && error.endsWith(
                ", a loopback, private, link-local or metadata address; an operator allows its network with"
                        + " jobyard.commands.http.allowed-networks"), error);
        assertEquals(0, server.received.size(), "no request was sent");
    }
}
