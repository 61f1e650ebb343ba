package dev.jobyard.access;

import java.util.Locale;
import java.util.Optional;

/** What a caller may do, each role including the ones before it. */
public enum Role {
    /** Reads everything except secrets (API keys, the audit log). */
    VIEWER,
    /** Also creates, retries, cancels, pauses and resumes jobs, queues and schedules. */
    OPERATOR,
    /** Also manages API keys, deletes definitions, cleans up history and creates admin-only kinds. */
    ADMIN;

    public boolean includes(Role other) {
        return compareTo(other) >= 0;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role a token group or key names ({@code viewer}, {@code operator}, {@code admin}, any case). */
    public static Optional<Role> named(String name) {
        if (name == null) {
            return Optional.empty();
        }
        for (Role role : values()) {
            if (role.name().equalsIgnoreCase(name.trim())) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
