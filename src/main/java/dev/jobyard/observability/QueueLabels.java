package dev.jobyard.observability;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.config.JobyardConfig;
import dev.jobyard.queue.QueueNames;

/**
 * The {@code queue} tag of every metric: the queue's own name for the configured queues and for the first
 * {@code jobyard.metrics.max-queue-labels} other queues this replica counts, and {@value #OTHER} for the
 * rest. One request that names thousands of queues therefore adds one series, not thousands. {@value #OTHER}
 * cannot be a queue's name (queue names have no parentheses).
 */
@ApplicationScoped
public class QueueLabels {

    public static final String OTHER = "(other)";

    private final Set<String> configured;
    private final int max;
    private final Set<String> named = ConcurrentHashMap.newKeySet();
    private final AtomicInteger count = new AtomicInteger();

    QueueLabels(JobyardConfig config, MetricsConfig metrics) {
        Set<String> names = new HashSet<>(config.queues().keySet());
        names.add(QueueNames.DEFAULT);
        this.configured = Set.copyOf(names);
        this.max = Math.max(0, metrics.maxQueueLabels());
    }

    /** The tag value for {@code queue}. */
    public String of(String queue) {
        if (configured.contains(queue) || named.contains(queue)) {
            return queue;
        }
        if (count.get() >= max) {
            return OTHER;
        }
        synchronized (this) {
            if (named.contains(queue)) {
                return queue;
            }
            if (count.get() < max) {
                named.add(queue);
                count.incrementAndGet();
                return queue;
            }
        }
        return OTHER;
    }
}
