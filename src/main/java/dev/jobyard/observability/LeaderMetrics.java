package dev.jobyard.observability;

import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Leadership: how often this replica became the leader with a new term (a sum over replicas is the
 * cluster's number of leader changes; a replica taking its own lapsed lease back is not one) and whether
 * it leads now (a sum over replicas should be 1).
 */
@ApplicationScoped
public class LeaderMetrics {

    private final Counter acquired;
    private final AtomicBoolean leading = new AtomicBoolean();

    LeaderMetrics(MeterRegistry registry) {
        this.acquired = Counter.builder("jobyard.leader.changes")
                .description("Times this replica became the leader (each starts a new term with a new fencing token)")
                .register(registry);
        Gauge.builder("jobyard.leader", leading, l -> l.get() ? 1 : 0)
                .description("1 while this replica is the leader, else 0")
                .register(registry);
    }

    /** This replica just started a term as leader. */
    public void acquired() {
        leading.set(true);
        acquired.increment();
    }

    /** This replica leads again in a term it had begun (its own lapsed lease, taken back): no change of leader. */
    public void leading() {
        leading.set(true);
    }

    /** This replica is not the leader (any more). */
    public void notLeader() {
        leading.set(false);
    }
}
