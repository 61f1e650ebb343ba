package dev.jobyard.observability;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * The meters of one (queue, kind), built once and then only incremented: the hot path never builds
 * tags or looks a meter up in the registry.
 */
final class JobMeters {

    final Counter created;
    final Counter started;
    final Counter completed;
    final Counter failed;
    final Counter retried;
    final Counter cancelled;
    final Counter handedBack;
    final Counter rescued;
    final Timer run;

    JobMeters(MeterRegistry registry, String queue, String kind) {
        Tags tags = Tags.of("queue", queue, "kind", kind);
        created = counter(registry, "jobyard.jobs.created", "Jobs created (by the API, a schedule or retryJob)", tags);
        started = counter(registry, "jobyard.jobs.started", "Attempts started: jobs claimed by this replica", tags);
        completed = counter(registry, "jobyard.jobs.completed", "Jobs archived COMPLETED", tags);
        failed = counter(registry, "jobyard.jobs.failed", "Jobs archived FAILED (no attempts left)", tags);
        retried = counter(registry, "jobyard.jobs.retried", "Failed attempts put back to PENDING with backoff", tags);
        cancelled = counter(registry, "jobyard.jobs.cancelled", "Jobs archived CANCELLED (by request or a dependency)", tags);
        handedBack = counter(registry, "jobyard.jobs.handed.back", "Running jobs handed back at shutdown, attempt not counted", tags);
        rescued = counter(registry, "jobyard.jobs.rescued", "Running jobs whose lease expired, decided by the leader", tags);
        run = Timer.builder("jobyard.job.run")
                .description("How long handlers ran, per attempt, on this replica")
                .tags(tags)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofHours(1))
                .register(registry);
    }

    private static Counter counter(MeterRegistry registry, String name, String description, Tags tags) {
        return Counter.builder(name).description(description).tags(tags).register(registry);
    }
}
