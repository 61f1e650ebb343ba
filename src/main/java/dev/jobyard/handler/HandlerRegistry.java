package dev.jobyard.handler;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;

import dev.jobyard.common.BadInputException;

/** The kinds this service can run, each served by exactly one {@link JobHandler} bean. */
@ApplicationScoped
public class HandlerRegistry {

    /**
     * Longest kind name. Kinds travel in job events and metrics tags; with queue names (at most 100
     * characters too) this bound keeps every NOTIFY payload below PostgreSQL's 8,000 bytes.
     */
    public static final int MAX_KIND_LENGTH = 100;

    private final Map<String, JobHandler> byKind = new TreeMap<>();

    HandlerRegistry(@Any Instance<JobHandler> handlers) {
        for (JobHandler handler : handlers) {
            if (handler.kind() == null || handler.kind().isEmpty() || handler.kind().length() > MAX_KIND_LENGTH) {
                throw new IllegalStateException("Handler " + handler.getClass().getName() + " serves kind '"
                        + handler.kind() + "': a kind has 1 to " + MAX_KIND_LENGTH + " characters");
            }
            JobHandler previous = byKind.put(handler.kind(), handler);
            if (previous != null) {
                throw new IllegalStateException("Two handlers serve kind '" + handler.kind() + "': "
                        + previous.getClass().getName() + " and " + handler.getClass().getName());
            }
        }
    }

    public Optional<JobHandler> find(String kind) {
        return Optional.ofNullable(byKind.get(kind));
    }

    /** The handler for {@code kind}, or a BAD_USER_INPUT error on {@code field} naming the known kinds. */
    public JobHandler require(String field, String kind) {
        if (kind != null && kind.length() > MAX_KIND_LENGTH) {
            throw new BadInputException(field, "must be at most " + MAX_KIND_LENGTH + " characters, got " + kind.length());
        }
        JobHandler handler = byKind.get(kind);
        if (handler == null) {
            throw new BadInputException(field, "no handler serves kind '" + kind + "'; known kinds: "
                    + String.join(", ", byKind.keySet()));
        }
        return handler;
    }

    public java.util.Set<String> kinds() {
        return byKind.keySet();
    }
}
