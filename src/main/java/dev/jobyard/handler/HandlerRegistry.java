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

    private final Map<String, JobHandler> byKind = new TreeMap<>();

    HandlerRegistry(@Any Instance<JobHandler> handlers) {
        for (JobHandler handler : handlers) {
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
