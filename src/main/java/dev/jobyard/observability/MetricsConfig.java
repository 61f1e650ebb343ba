package dev.jobyard.observability;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code jobyard.metrics.*}: docs/configuration.md and docs/observability.md describe each key. */
@ConfigMapping(prefix = "jobyard.metrics")
public interface MetricsConfig {

    /**
     * How long the queue gauges (depth, running, oldest ready age) reuse one database count. They are
     * computed only when scraped, so an idle replica that nobody scrapes sends no statement for them.
     */
    @WithDefault("10s")
    Duration queueGaugeCache();
}
