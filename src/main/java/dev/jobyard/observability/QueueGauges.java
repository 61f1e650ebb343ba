package dev.jobyard.observability;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.jobyard.database.Sql;
import dev.jobyard.database.DatabaseBootstrap;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Row;

/**
 * Queue depth, running jobs and the age of the oldest ready job, per queue tag ({@link QueueLabels}: queues
 * beyond its bound are added up under one tag). They are the cluster's
 * numbers (every replica reports the same), read from the database only when a scrape asks and reused
 * for {@code jobyard.metrics.queue-gauge-cache}: no timer polls for them, so an idle replica stays idle.
 */
@ApplicationScoped
public class QueueGauges {

    private static final Logger LOG = Logger.getLogger(QueueGauges.class);
    private static final String COUNTS = """
            SELECT queue,
                   count(*) FILTER (WHERE status = 'PENDING') AS pending,
                   count(*) FILTER (WHERE status = 'PENDING' AND pending_deps = 0 AND run_at <= now()) AS ready,
                   count(*) FILTER (WHERE status = 'RUNNING') AS running,
                   coalesce(extract(epoch FROM now() - min(run_at)
                       FILTER (WHERE status = 'PENDING' AND pending_deps = 0 AND run_at <= now())), 0)::float8 AS oldest
              FROM jobyard.job GROUP BY queue""";

    private record Counts(double pending, double ready, double running, double oldestReadySeconds) {
        static final Counts NONE = new Counts(0, 0, 0, 0);

        /** Both queues' jobs under one tag: the sums, and the older of the oldest. */
        Counts plus(Counts other) {
            return new Counts(pending + other.pending, ready + other.ready, running + other.running,
                    Math.max(oldestReadySeconds, other.oldestReadySeconds));
        }
    }

    private final Sql sql;
    private final MeterRegistry registry;
    private final QueueLabels labels;
    private final long cacheNanos;
    private final Set<String> tracked = ConcurrentHashMap.newKeySet();
    private volatile Map<String, Counts> counts = Map.of();
    private volatile long countedAt;
    private volatile boolean failed;

    QueueGauges(Sql sql, MeterRegistry registry, MetricsConfig config, QueueLabels labels) {
        this.sql = sql;
        this.registry = registry;
        this.labels = labels;
        this.cacheNanos = config.queueGaugeCache().toNanos();
        this.countedAt = System.nanoTime() - cacheNanos - 1;
    }

    void onStart(@Observes @Priority(DatabaseBootstrap.STARTUP_PRIORITY + 50) StartupEvent event) {
        // Queues with jobs at start-up get their gauges before the first scrape; later ones as they appear.
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.debugf("Queue gauges not counted at start-up (%s)", e.getMessage());
        }
    }

    /** Registers the gauges of the tag {@code queue} (a {@link QueueLabels} value) once. */
    void track(String queue) {
        if (!tracked.add(queue)) {
            return;
        }
        gauge("jobyard.queue.depth", "Jobs PENDING in the queue, delayed and blocked ones included", queue, Counts::pending);
        gauge("jobyard.queue.ready", "PENDING jobs that could start now (due, no unfinished dependency)", queue, Counts::ready);
        gauge("jobyard.queue.running", "Jobs RUNNING from the queue, on all replicas", queue, Counts::running);
        Gauge.builder("jobyard.queue.oldest.ready.age", this, g -> g.value(queue, Counts::oldestReadySeconds))
                .description("How long the oldest ready job has waited since its runAt; 0 when none waits")
                .baseUnit("seconds").tag("queue", queue).register(registry);
    }

    private void gauge(String name, String description, String queue, ToDoubleFunction<Counts> value) {
        Gauge.builder(name, this, g -> g.value(queue, value)).description(description)
                .tag("queue", queue).register(registry);
    }

    private double value(String queue, ToDoubleFunction<Counts> field) {
        if (System.nanoTime() - countedAt > cacheNanos) {
            synchronized (this) {
                if (System.nanoTime() - countedAt > cacheNanos) {
                    try {
                        refresh();
                        failed = false;
                    } catch (RuntimeException e) {
                        if (!failed) {
                            LOG.warnf("Could not count the queues for /q/metrics (%s); the queue gauges read NaN until it works",
                                    e.getMessage());
                        }
                        failed = true;
                        counts = null;
                    }
                    countedAt = System.nanoTime();
                }
            }
        }
        Map<String, Counts> current = counts;
        return current == null ? Double.NaN : field.applyAsDouble(current.getOrDefault(queue, Counts.NONE));
    }

    private void refresh() {
        Map<String, Counts> fresh = new HashMap<>();
        for (Row row : sql.query(COUNTS)) {
            fresh.merge(labels.of(row.getString("queue")), new Counts(row.getLong("pending"), row.getLong("ready"),
                    row.getLong("running"), row.getDouble("oldest")), Counts::plus);
        }
        counts = fresh;
        countedAt = System.nanoTime();
        fresh.keySet().forEach(this::track);
    }
}
