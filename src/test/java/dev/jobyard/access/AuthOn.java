package dev.jobyard.access;

import java.util.HashMap;
import java.util.Map;

import dev.jobyard.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Access control on, trusting {@link TestTokens}' provider, with a bootstrap admin key and a small operator rate
 * limit, and the management interface on. Every test class of access control uses this one profile, so the application starts once for them all.
 */
public class AuthOn implements QuarkusTestProfile {

    public static final String BOOTSTRAP = "bootstrap-admin-key-for-tests";
    public static final int OPERATOR_RATE = 40;

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> settings = new HashMap<>(TestTokens.settings());
        settings.put("jobyard.auth.enabled", "true");
        settings.put("jobyard.auth.bootstrap-admin-key", BOOTSTRAP);
        settings.put("jobyard.auth.rate-limits.operator", String.valueOf(OPERATOR_RATE));
        settings.put("quarkus.http.cors.enabled", "true");
        settings.put("quarkus.http.cors.origins", "https://console.example");
        // Health and metrics on Quarkus's management interface (a build-time switch; ManagementPortTest), on a free port.
        // The API's port is a fixed free one too: Quarkus's HTTP metrics tag a server with its port only when it is not 0,
        // and two servers whose meters differ in tags make the second fail to start (Prometheus's rule).
        settings.put("quarkus.management.enabled", "true");
        settings.put("quarkus.management.test-port", String.valueOf(freePort()));
        settings.put("quarkus.http.test-port", String.valueOf(freePort()));
        return settings;
    }
}
