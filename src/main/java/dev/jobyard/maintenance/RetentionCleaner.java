package dev.jobyard.maintenance;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.jobyard.config.JobyardConfig;
import dev.jobyard.database.DatabaseNotReady;
import dev.jobyard.job.JobStore;
import dev.jobyard.leadership.LeaderElector;
import dev.jobyard.observability.JobTraces;
import io.quarkus.scheduler.Scheduled;

/**
 * Removes history older than {@code jobyard.history.retention}, on the leader and on demand: whole days by
 * dropping their partitions, the rest row by row. The leader also keeps the partitions of the coming days.
 */
@ApplicationScoped
public class RetentionCleaner {

    private static final Logger LOG = Logger.getLogger(RetentionCleaner.class);

    private final JobStore store;
    private final LeaderElector leader;
    private final JobyardConfig config;
    @Inject
    JobTraces traces;
    @Inject
    HistoryPartitions partitions;

    RetentionCleaner(JobStore store, LeaderElector leader, JobyardConfig config) {
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
                long removed = removeOlderThan(config.history().retention());
                if (removed > 0) {
                    LOG.infof("Removed %d history entries older than %s", removed, config.history().retention());
                }
            } catch (RuntimeException e) {
                LOG.warnf("History cleanup failed (%s); the next run tries again", e.getMessage());
            }
        }
    }

    /** Deletes history that finished more than {@code age} ago; returns how many entries went. */
    public long removeOlderThan(Duration age) {
        long removed = partitions.dropOlderThan(age) + store.deleteHistoryOlderThan(age.toMillis());
        traces.forgetOlderThan(age.toMillis());
        return removed;
    }
}
