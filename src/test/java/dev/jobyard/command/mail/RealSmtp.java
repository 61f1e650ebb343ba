package dev.jobyard.command.mail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.Map;

import dev.jobyard.command.CommandsEnabled;
import io.quarkus.test.junit.QuarkusTestProfile;

/** The mailer pointed at a real SMTP server (GreenMail, started by the test) with a login, as in production. */
public class RealSmtp implements QuarkusTestProfile {

    static final int PORT = freePort();
    static final String USER = "jobyard";
    static final String PASSWORD = "smtp-password-in-config";

    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            Files.createDirectories(CommandsEnabled.FILES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("quarkus.mailer.mock", "false", "quarkus.mailer.host", "127.0.0.1", "quarkus.mailer.port", String.valueOf(PORT),
                "quarkus.mailer.from", "jobyard@example.com", "quarkus.mailer.username", USER, "quarkus.mailer.password", PASSWORD,
                "quarkus.mailer.login", "REQUIRED", "quarkus.mailer.start-tls", "DISABLED", "quarkus.mailer.tls", "false",
                "jobyard.commands.files.directories", CommandsEnabled.FILES.toString());
    }

    /**
     * A free port, chosen once per JVM: the profile and the test class are loaded by different class
     * loaders, so a static field alone would pick two ports. A system property is shared by both.
     */
    private static synchronized int freePort() {
        String chosen = System.getProperty("greenmail.test.smtp-port");
        if (chosen != null) {
            return Integer.parseInt(chosen);
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            System.setProperty("greenmail.test.smtp-port", String.valueOf(socket.getLocalPort()));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
