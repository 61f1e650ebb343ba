package dev.jobyard.access;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.jobyard.config.JobyardConfig;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;

/**
 * Whether access control is on. Unset ({@code jobyard.auth.enabled}), dev and test run open and say so; a
 * production replica refuses to start, so that nobody ships an open API by forgetting a setting.
 */
@ApplicationScoped
public class AccessMode {

    private static final Logger LOG = Logger.getLogger(AccessMode.class);

    static final String OPEN_WARNING = "Access control is off (jobyard.auth.enabled=false or unset): anyone who reaches the "
            + "API can read every job and change anything. Set jobyard.auth.enabled=true before exposing it (docs/security.md)";

    private final boolean enabled;
    private final boolean decided;

    @jakarta.inject.Inject
    AccessMode(JobyardConfig config) {
        this(config.auth().enabled());
    }

    AccessMode(java.util.Optional<Boolean> setting) {
        this.enabled = setting.orElse(false);
        this.decided = setting.isPresent();
    }

    public boolean enabled() {
        return enabled;
    }

    void check(@Observes StartupEvent start) {
        check(LaunchMode.current());
    }

    /** Refuses a production start while undecided; warns while open. */
    void check(LaunchMode launchMode) {
        if (!decided && launchMode == LaunchMode.NORMAL) {
            throw new IllegalStateException("jobyard.auth.enabled is not set: a production replica does not start with "
                    + "an open API by default. Set jobyard.auth.enabled=true (with jobyard.auth.issuer and jobyard.auth.jwks-url, "
                    + "or jobyard.auth.bootstrap-admin-key), or jobyard.auth.enabled=false to run open on purpose (docs/security.md)");
        }
        if (!enabled) {
            LOG.warn(OPEN_WARNING);
        }
    }
}
