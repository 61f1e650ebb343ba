package dev.jobyard.observability;

import java.util.function.IntSupplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Results this replica could not write in time or at all: those waiting longer than a lease (a gauge;
 * readiness is down while it is above 0) and those PostgreSQL refused, whose attempt ended as failed
 * instead (a counter).
 */
@ApplicationScoped
public class ResultMetrics {

    private final Counter unstorable;
    private volatile IntSupplier overdue = () -> 0;

    ResultMetrics(MeterRegistry registry) {
        this.unstorable = Counter.builder("jobyard.results.unstorable")
                .description("Job results PostgreSQL refused to store; each attempt ended as failed instead")
                .register(registry);
        Gauge.builder("jobyard.results.overdue", this, m -> m.overdue.getAsInt())
                .description("Job results waiting longer than a lease to be written on this replica")
                .register(registry);
    }

    /** Where the overdue count comes from: the completer of this replica. */
    public void overdueFrom(IntSupplier source) {
        this.overdue = source;
    }

    /** A result was refused and its attempt ended as failed instead. */
    public void unstorable() {
        unstorable.increment();
    }
}
