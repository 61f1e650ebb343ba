package dev.jobyard.durable;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** {@code jobyard.durable.*}: docs/configuration.md and docs/durable.md describe each key. */
@ConfigMapping(prefix = "jobyard.durable")
public interface DurableConfig {

    /**
     * How often the leader looks for waits (child, event, row change) that passed their timeout, and wakes their
     * tasks. A timeout fires at most this much late.
     */
    @WithDefault("1s")
    Duration timeoutCheckInterval();

    /** Row changes that tasks may wait for. */
    @WithName("db-events")
    DbEvents dbEvents();

    interface DbEvents {
        /**
         * The tables ({@code schema.table}) whose row changes tasks may wait for. The service installs its trigger on
         * each at start-up; waiting on any other table is refused. Empty: none.
         */
        Optional<List<String>> tables();
    }
}
