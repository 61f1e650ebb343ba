package dev.jobyard.maintenance;

import java.time.Duration;
import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.jobyard.config.JobyardConfig;
import dev.jobyard.database.DatabaseNotReady;
import dev.jobyard.leadership.LeaderElector;
import dev.jobyard.observability.JobTraces;
import io.quarkus.scheduler.Scheduled;

/**
 * Removes history older than {@code jobyard.history.retention}, on the leader and on demand: whole days by
 * detaching and dropping their partitions; row by row, in batches, only what no partition drop can take
 * (history kept by V7, and on demand the day that straddles the cutoff). Idempotency keys go after their own
 * window, {@code jobyard.idempotency.key-retention}, whatever happens to history; schedule slots and emitted
 * durable events go with the history of their age. The leader also keeps the
 * partitions of the coming days. Every cutoff is the database clock's.
 */
@ApplicationScoped
public class RetentionCleaner {

    private static final Logger LOG = Logger.getLogger(RetentionCleaner.class);

    private final RetentionStore store;
    private final LeaderElector leader;
    private final JobyardConfig config;
    @Inject
    JobTraces traces;
    @Inject
    HistoryPartitions partitions;

    RetentionCleaner(RetentionStore store, LeaderElector leader, JobyardConfig config) {
        this.store = store;
        this.leader = leader;
        this.config = config;
    }

    @Scheduled(every = "${jobyard.history.cleanup-interval:1h}", delayed = "30s", skipExecutionIf = DatabaseNotReady.class,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        if (leader.isLeader()) {
            try {
                partitions.createAhead();
                long removed = removeOlderThan(config.history().retention(), false);
                if (removed > 0) {
                    LOG.infof("Removed %d history entries older than %s", removed, config.history().retention());
                }
                store.forgetKeysOlderThan(config.idempotency().keyRetention());
            } catch (RuntimeException e) {
                LOG.warnf("History cleanup failed (%s); the next run tries again", e.getMessage());
            }
        }
    }

    /**
     * Deletes history that finished more than {@code age} ago, exactly (cleanupHistory): whole days, and the
     * older entries of the day that straddles the cutoff. Returns how many entries went.
     */
    public long removeOlderThan(Duration age) {
        return removeOlderThan(age, true);
    }

    /**
     * Deletes the history of {@code queue} that finished more than {@code age} ago, row by row (its entries share
     * their days' partitions with other queues'); what is not a queue's (slots, durable events, traces) stays.
     */
    public long removeOlderThan(Duration age, String queue) {
        return store.deleteQueueRowsBefore(queue, partitions.ago(age.toMillis()));
    }

    /**
     * Without {@code exact}, a day is removed once all of it is older than {@code age}: history is then kept
     * for at least the retention and at most a day longer, and no scheduled run deletes entries one by one
     * from a partition that a later run drops whole.
     */
    long removeOlderThan(Duration age, boolean exact) {
        OffsetDateTime cutoff = partitions.ago(age.toMillis());
        long removed = partitions.dropEndingBefore(cutoff);
        for (String partition : partitions.notDroppableBefore(cutoff, exact)) {
            removed += store.deleteRowsBefore(partition, cutoff);
        }
        store.forgetSlotsBefore(cutoff);
        store.forgetEventsBefore(cutoff);
        traces.forgetOlderThan(age.toMillis());
        return removed;
    }
}
