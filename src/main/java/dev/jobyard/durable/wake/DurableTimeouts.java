package dev.jobyard.durable.wake;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.jobyard.database.DatabaseNotReady;
import dev.jobyard.database.Sql;
import dev.jobyard.durable.store.Wait;
import dev.jobyard.durable.store.WaitStore;
import dev.jobyard.event.EventPublisher;
import dev.jobyard.event.Signals;
import dev.jobyard.job.JobChange;
import dev.jobyard.job.JobOwners;
import dev.jobyard.job.JobStatus;
import dev.jobyard.leadership.LeaderElector;
import dev.jobyard.observability.JobMetrics;
import io.quarkus.scheduler.Scheduled;

/**
 * On the leader: wakes the tasks whose wait passed its timeout. The wait is saved as timed out under its key
 * (the primitive throws DurableTimeoutException on replay) and the task made runnable, in one transaction with
 * the cancel of a child whose invoke timed out. Waits are taken with SKIP LOCKED, so a second replica that
 * believes it leads takes other rows or none.
 * <p>
 * The check ticks every {@code jobyard.durable.timeout-check-interval} but reads the database only when the
 * earliest timeout it knows of is due, when a task has just parked (a WAITING event from any replica: its wait may
 * end sooner), when the listener reconnected or leadership came to this replica (events may have been missed),
 * and at the latest every {@link #RECHECK_MILLIS}: an idle replica asks nothing of the database.
 */
@ApplicationScoped
public class DurableTimeouts {

    private static final Logger LOG = Logger.getLogger(DurableTimeouts.class);
    private static final int BATCH = 500;
    // The safety net should a WAITING event be lost: a lost event's timeout fires at most this much late.
    static final long RECHECK_MILLIS = 60_000;
    private static final String EARLIEST = """
            SELECT (extract(epoch FROM min(until)) * 1000)::bigint AS at FROM jobyard.durable_wait
             WHERE until IS NOT NULL AND type <> 'sleep'""";

    private final Sql sql;
    private final WaitStore waits;
    private final Wakes wakes;
    private final ChildJobs children;
    private final JobOwners owners;
    private final EventPublisher publisher;
    private final JobMetrics metrics;
    private final LeaderElector leader;
    // Epoch millis of the next database check; 0 means at the next tick.
    private volatile long nextCheckAt;
    private final AtomicLong checks = new AtomicLong();

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
            // Whoever leads next starts with a check: it knows nothing of the waits recorded meanwhile.
            nextCheckAt = 0;
            return;
        }
        if (System.currentTimeMillis() < nextCheckAt) {
            return;
        }
        try {
            checkNow();
        } catch (RuntimeException e) {
            LOG.warnf("Durable timeout pass failed (%s); the next one tries again", e.getMessage());
        }
    }

    /** Times out every due wait, then learns when the next one is due. */
    public void checkNow() {
        // Reset first: a task that parks while this check runs asks for the next tick, not for after the check.
        nextCheckAt = System.currentTimeMillis() + RECHECK_MILLIS;
        checks.incrementAndGet();
        while (pass() == BATCH) {
            // a full batch: more may be due
        }
        Long earliest = sql.query(EARLIEST).iterator().next().getLong("at");
        if (earliest != null) {
            nextCheckAt = Math.min(nextCheckAt, earliest);
        }
    }

    /** How many times this replica has read the waits: what an idle leader must not do every tick. */
    public long checks() {
        return checks.get();
    }

    void onJobsChanged(@Observes Signals.JobsChanged changed) {
        for (var event : changed.events()) {
            if (JobStatus.WAITING.name().equals(event.status())) {
                nextCheckAt = 0;
                return;
            }
        }
    }

    void onListenerConnected(@Observes Signals.ListenerConnected connected) {
        nextCheckAt = 0;
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
