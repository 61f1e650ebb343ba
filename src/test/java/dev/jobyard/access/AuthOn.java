package dev.jobyard.access;

import java.util.HashMap;
import java.util.Map;

import dev.jobyard.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Access control on, trusting {@link TestTokens}' provider, with a bootstrap admin key and a small operator rate
 * limit. Every test class of access control uses this one profile, so the application starts once for them all.
 */
public class AuthOn implements QuarkusTestProfile {

    public static final String BOOTSTRAP = "bootstrap-admin-key-for-tests";
    public static final int OPERATOR_RATE = 40;

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> settings = new HashMap<>(TestTokens.settings());
        settings.put("jobyard.auth.enabled", "true");
        settings.put("jobyard.auth.bootstrap-admin-key", BOOTSTRAP);
        settings.put("jobyard.auth.rate-limits.operator", String.valueOf(OPERATOR_RATE));
        settings.put("quarkus.http.cors.enabled", "true");
        settings.put("quarkus.http.cors.origins", "https://console.example");
        return settings;
    }
}
