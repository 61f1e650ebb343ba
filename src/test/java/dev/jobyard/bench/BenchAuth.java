package dev.jobyard.bench;

import java.util.HashMap;
import java.util.Map;

import dev.jobyard.testing.TestTokens;

/**
 * Access control for the measurements that compare it on and off: the replicas trust the loopback token provider of
 * {@link TestTokens} (this JVM serves its JWKS), and the tool calls them with one of its tokens, as an OIDC client
 * does: a signed JWT whose signature, issuer, audience and expiry every replica checks.
 */
public final class BenchAuth {

    private BenchAuth() {
    }

    /** The settings of a replica with access control on. */
    public static Map<String, String> on() {
        Map<String, String> settings = new HashMap<>(TestTokens.settings());
        settings.put("jobyard.auth.enabled", "true");
        return Map.copyOf(settings);
    }

    /** The Authorization header a client of a replica with these settings sends, or null when access is open. */
    static String authorizationFor(Map<String, String> settings) {
        if (!"true".equals(settings.get("jobyard.auth.enabled"))) {
            return null;
        }
        return "Bearer " + TestTokens.expiringToken(java.time.Duration.ofHours(12), "admin");
    }
}
