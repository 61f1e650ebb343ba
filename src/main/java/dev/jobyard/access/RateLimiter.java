package dev.jobyard.access;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.common.TooManyRequestsException;
import dev.jobyard.config.JobyardConfig;

/**
 * Mutations per caller and minute, by role ({@code jobyard.auth.rate-limits.<role>}; 0 is no limit), counted by
 * each replica for itself in fixed one-minute windows.
 */
@ApplicationScoped
@io.quarkus.arc.Unremovable
public class RateLimiter {

    private final JobyardConfig.RateLimits limits;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    private static final class Window {
        long minute;
        int count;
    }

    RateLimiter(JobyardConfig config) {
        this.limits = config.auth().rateLimits();
    }

    /** Counts one mutation of {@code caller}; throws TOO_MANY_REQUESTS past its role's limit. */
    public void count(Caller caller) {
        int limit = limitOf(caller.role());
        if (limit <= 0) {
            return;
        }
        long minute = System.currentTimeMillis() / 60_000;
        if (windows.size() > 100_000) {
            windows.clear();
        }
        Window window = windows.computeIfAbsent(caller.subject(), s -> new Window());
        synchronized (window) {
            if (window.minute != minute) {
                window.minute = minute;
                window.count = 0;
            }
            if (++window.count > limit) {
                throw new TooManyRequestsException("rate limit: at most " + limit + " mutations a minute for role "
                        + caller.role().label() + " (jobyard.auth.rate-limits." + caller.role().label() + "); try again in "
                        + (60 - (System.currentTimeMillis() / 1000) % 60) + " s");
            }
        }
    }

    private int limitOf(Role role) {
        if (role == null) {
            return 0;
        }
        return switch (role) {
            case VIEWER -> limits.viewer();
            case OPERATOR -> limits.operator();
            case ADMIN -> limits.admin();
        };
    }
}
