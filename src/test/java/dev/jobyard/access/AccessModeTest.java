package dev.jobyard.access;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.LaunchMode;

/** A production start with access control undecided is refused; dev and test run open; a decision is always taken. */
class AccessModeTest {

    private static AccessMode mode(Map<String, String> settings) {
        String value = settings.get("jobyard.auth.enabled");
        return new AccessMode(java.util.Optional.ofNullable(value).map(Boolean::valueOf));
    }

    @Test
    void productionRefusesToStartWhileAccessControlIsUndecided() {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> mode(Map.of()).check(LaunchMode.NORMAL));
        assertTrue(refused.getMessage().startsWith("jobyard.auth.enabled is not set"), refused.getMessage());
    }

    @Test
    void anExplicitDecisionStartsInProduction() {
        assertDoesNotThrow(() -> mode(Map.of("jobyard.auth.enabled", "false")).check(LaunchMode.NORMAL));
        assertDoesNotThrow(() -> mode(Map.of("jobyard.auth.enabled", "true")).check(LaunchMode.NORMAL));
    }

    @Test
    void devAndTestRunOpenWhenUndecided() {
        assertDoesNotThrow(() -> mode(Map.of()).check(LaunchMode.DEVELOPMENT));
        assertDoesNotThrow(() -> mode(Map.of()).check(LaunchMode.TEST));
        assertTrue(!mode(Map.of()).enabled());
    }
}
