package dev.jobyard.api.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import dev.jobyard.access.AccessMode;

/**
 * Whether access control is on. Always up (an open API is a choice, not a failure, so probes do not restart the
 * replica), but with access open it carries a warning where operators and dashboards look.
 */
@Liveness
@ApplicationScoped
public class AccessHealth implements HealthCheck {

    private final AccessMode mode;

    AccessHealth(AccessMode mode) {
        this.mode = mode;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("access-control").up().withData("enabled", mode.enabled());
        if (!mode.enabled()) {
            response.withData("warning", "access is open: anyone who reaches the API may do anything (jobyard.auth.enabled)");
        }
        return response.build();
    }
}
