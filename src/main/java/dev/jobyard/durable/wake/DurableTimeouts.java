package dev.jobyard.durable.wake;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.jobyard.database.DatabaseNotReady;
import dev.jobyard.database.Sql;
import dev.jobyard.durable.store.Wait;
import dev.jobyard.durable.store.WaitStore;
import dev.jobyard.event.EventPublisher;
import dev.jobyard.job.JobChange;
import dev.jobyard.job.JobOwners;
import dev.jobyard.leadership.LeaderElector;
import dev.jobyard.observability.JobMetrics;
import io.quarkus.scheduler.Scheduled;

/**
 * On the leader: wakes the tasks whose wait passed its timeout. The wait is saved as timed out under its key
 * (the primitive throws DurableTimeoutException on replay) and the task made runnable, in one transaction with
 * the cancel of a child whose invoke timed out. Waits are taken with SKIP LOCKED, so a second replica that
 * believes it leads takes other rows or none.
 */
@ApplicationScoped
public class DurableTimeouts {

    private static final Logger LOG = Logger.getLogger(DurableTimeouts.class);
    private static final int BATCH = 500;

    private final Sql sql;
    private final WaitStore waits;
    private final Wakes wakes;
    private final ChildJobs children;
    private final JobOwners owners;
    private final EventPublisher publisher;
    private final JobMetrics metrics;
    private final LeaderElector leader;

    DurableTimeouts(Sql sql, WaitStore waits, Wakes wakes, ChildJobs children, JobOwners owners,
            EventPublisher publisher, JobMetrics metrics, LeaderElector leader) {
        this.sql = sql;
        this.waits = waits;
        this.wakes = wakes;
        this.children = children;
        this.owners = owners;
        this.publisher = publisher;
        this.metrics = metrics;
        this.leader = leader;
    }

    @Scheduled(every = "${jobyard.durable.timeout-check-interval:1s}", delayed = "1s",
            skipExecutionIf = DatabaseNotReady.class, concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        if (!leader.isLeader()) {
            return;
        }
        try {
            while (pass() == BATCH) {
                // a full batch: more may be due
            }
        } catch (RuntimeException e) {
            LOG.warnf("Durable timeout pass failed (%s); the next one tries again", e.getMessage());
        }
    }

    /** One batch; returns how many waits it timed out. */
    public int pass() {
        return sql.inTransaction(tx -> {
            List<Wait> due = waits.takeDue(tx, BATCH);
            List<JobChange> changes = new ArrayList<>(wakes.timeOut(tx, due));
            List<JobChange> ended = new ArrayList<>();
            for (Wait w : due) {
                if (Wait.INVOKE.equals(w.type()) && w.childJobId() != null) {
                    ended.addAll(children.cancel(tx, w.childJobId(), "invoke '" + w.key() + "' of job " + w.jobId()
                            + " timed out"));
                }
            }
            changes.addAll(ended);
            changes.addAll(owners.ended(tx, ended));
            if (!changes.isEmpty()) {
                metrics.changed(tx, changes);
                OffsetDateTime now = OffsetDateTime.now();
                publisher.jobEvents(tx, changes.stream().map(c -> c.toEvent(now)).toList());
            }
            return due.size();
        });
    }
}
