package dev.jobyard.observability;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.database.Statements;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Schedule slots fired and skipped, by schedule name, and how late slots fired. Counted by the replica
 * that fired the slot (the leader, or the one that served {@code runSchedule}), once its transaction commits.
 */
@ApplicationScoped
public class ScheduleMetrics {

    private final MeterRegistry registry;
    private final Timer fireDelay;
    private final ConcurrentHashMap<String, Counter> fires = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> skips = new ConcurrentHashMap<>();

    ScheduleMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.fireDelay = Timer.builder("jobyard.schedule.fire.delay")
                .description("How long after its slot time a slot was fired (the slot's job created)")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
    }

    /** Slot {@code slotAt} of {@code schedule} fired through {@code db}; counted once it commits. */
    public void fired(Statements db, String schedule, OffsetDateTime slotAt) {
        long lateMillis = Math.max(0, System.currentTimeMillis() - slotAt.toInstant().toEpochMilli());
        db.afterCommit(() -> {
            counter(fires, "jobyard.schedule.fires", "Schedule slots fired: one job created each", schedule).increment();
            fireDelay.record(Duration.ofMillis(lateMillis));
        });
    }

    /** A slot recorded as skipped (maxInstances reached, or missed under the SKIP misfire policy). */
    public void skipped(Statements db, String schedule) {
        db.afterCommit(() -> counter(skips, "jobyard.schedule.skips",
                "Schedule slots skipped: maxInstances reached, or missed under a SKIP/CATCH_UP misfire policy", schedule)
                .increment());
    }

    private Counter counter(ConcurrentHashMap<String, Counter> counters, String name, String description, String schedule) {
        Counter found = counters.get(schedule);
        return found != null ? found : counters.computeIfAbsent(schedule,
                s -> Counter.builder(name).description(description).tag("schedule", s).register(registry));
    }
}
