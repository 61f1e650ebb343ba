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

    /**
     * Most queues not named in {@code jobyard.queues} that get a {@code queue} tag of their own; metrics of
     * the others are added up under {@code queue="(other)"}. Bounds the size of {@code /q/metrics}.
     */
    @WithDefault("50")
    int maxQueueLabels();
}
