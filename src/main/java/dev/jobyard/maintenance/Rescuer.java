package dev.jobyard.maintenance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.jobyard.config.JobyardConfig;
import dev.jobyard.database.DatabaseNotReady;
import dev.jobyard.database.Sql;
import dev.jobyard.engine.Outcome;
import dev.jobyard.engine.OutcomeWriter;
import dev.jobyard.job.JobStore;
import dev.jobyard.leadership.LeaderElector;
import dev.jobyard.observability.JobMetrics;
import io.quarkus.scheduler.Scheduled;

/**
 * On the leader: finds running jobs whose lease ran out (the worker died, froze, or lost the
 * database) and decides for their worker: cancelled if a cancel was asked, retried if attempts
 * remain, FAILED otherwise. The rows stay locked while deciding, and every write is fenced, so a
 * worker that comes back late cannot undo the decision.
 * <p>
 * It rescues nothing until this replica has led for one full job lease without a break, and for one lease
 * after a pass failed (the database was away): workers that lost the database have by then given up their
 * handlers (see LeaseTimes), and those that merely reconnect late have renewed what they still run.
 */
@ApplicationScoped
public class Rescuer {

    private static final Logger LOG = Logger.getLogger(Rescuer.class);
    private static final int BATCH = 500;

    private final Sql sql;
    private final JobStore store;
    private final OutcomeWriter writer;
    private final LeaderElector leader;
    private final Duration lease;
    // No rescue before this (System.nanoTime()): set when a pass fails, the database being away.
    private volatile long notBeforeNanos = System.nanoTime();
    @Inject
    JobMetrics metrics;

    Rescuer(Sql sql, JobStore store, OutcomeWriter writer, LeaderElector leader, JobyardConfig config) {
        this.sql = sql;
        this.store = store;
        this.writer = writer;
        this.leader = leader;
        this.lease = config.leaseTimeout();
    }

    @Scheduled(every = "${jobyard.leader.rescue-interval:5s}", delayed = "2s", skipExecutionIf = DatabaseNotReady.class,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        if (mayRescue()) {
            try {
                rescue();
            } catch (RuntimeException e) {
                notBeforeNanos = System.nanoTime() + lease.toNanos();
                LOG.warnf("Rescue pass failed (%s); the next one tries again, a lease from now", e.getMessage());
            }
        }
    }

    /** Whether the leader has led for a full job lease, and a lease has passed since the database was last away. */
    boolean mayRescue() {
        return leader.isLeader() && leader.leadingFor().compareTo(lease) >= 0 && System.nanoTime() - notBeforeNanos >= 0;
    }

    /** One pass; returns how many jobs were rescued. */
    public int rescue() {
        int total = 0;
        int found;
        do {
            found = sql.inTransaction(tx -> {
                List<JobStore.Expired> expired = store.lockExpiredLeases(tx, BATCH);
                List<Outcome> outcomes = new ArrayList<>(expired.size());
                for (JobStore.Expired job : expired) {
                    String why = "lease expired: worker " + job.fence().worker() + " stopped renewing it";
                    outcomes.add(job.cancelReason() != null ? new Outcome.Cancelled(job.fence(), job.cancelReason())
                            : new Outcome.Failed(job.fence(), job.maxAttempts(), why));
                    LOG.warnf("Rescuing job %d (%s, attempt %d of %d): %s", job.fence().jobId(), job.kind(),
                            job.fence().attempt(), job.maxAttempts(), why);
                    metrics.rescued(tx, job.queue(), job.kind());
                }
                writer.write(tx, outcomes);
                return expired.size();
            });
            total += found;
        } while (found == BATCH);
        return total;
    }
}
