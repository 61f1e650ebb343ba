package dev.jobyard.schedule;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.jobyard.config.JobyardConfig;
import dev.jobyard.database.Sql;
import dev.jobyard.engine.WorkerPool;
import dev.jobyard.event.JobEvent;
import dev.jobyard.event.Signals;
import dev.jobyard.leadership.LeaderElector;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * On the leader: sleeps until the earliest schedule is due (by the database clock), then fires every
 * due slot through {@link SlotFirer} and moves each schedule to its next slot. Slots missed during
 * downtime follow the schedule's misfire policy. Also fires {@code @reboot} schedules when this
 * replica becomes leader, and removes self-destructing schedules after their first success.
 */
@ApplicationScoped
public class ScheduleFirer {

    private static final Logger LOG = Logger.getLogger(ScheduleFirer.class);
    private static final int BATCH = 100;
    private static final long MAX_IDLE_MILLIS = 10_000;
    private static final long MIN_BACKOFF_MILLIS = 50;
    private static final long MAX_BACKOFF_MILLIS = 1000;
    private static final long RETRY_FAILED_NANOS = 5_000_000_000L;
    // Self-destruct normally follows a completion event; this catches one missed while LISTEN was down.
    private static final long SWEEP_NANOS = 60_000_000_000L;

    private final Sql sql;
    private final ScheduleStore store;
    private final SlotFirer slots;
    private final ScheduleEvents events;
    private final LeaderElector leader;
    private final JobyardConfig config;
    private final Object monitor = new Object();
    private boolean woken;
    private volatile boolean selfDestructDue = true;
    private volatile boolean stopping;
    private Thread thread;
    private long lastSweep = System.nanoTime();
    // Schedules whose firing just failed, until when (System.nanoTime) they wait; only the firer thread uses it.
    private final Map<Long, Long> waiting = new ConcurrentHashMap<>();

    ScheduleFirer(Sql sql, ScheduleStore store, SlotFirer slots, ScheduleEvents events, LeaderElector leader,
            JobyardConfig config) {
        this.sql = sql;
        this.store = store;
        this.slots = slots;
        this.events = events;
        this.leader = leader;
        this.config = config;
    }

    void onStart(@Observes @Priority(WorkerPool.STARTUP_PRIORITY + 10) StartupEvent event) {
        if (!config.leader().enabled()) {
            return;
        }
        thread = new Thread(this::loop, "jobyard-schedule-firer");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes @Priority(2) ShutdownEvent event) {
        stopping = true;
        wake();
        if (thread != null) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    void onMessage(@Observes Signals.Message message) {
        if (ScheduleEvents.TYPE.equals(message.type())) {
            wake(); // a schedule was created, changed or resumed: its next slot may be the earliest now
        }
    }

    void onJobsChanged(@Observes Signals.JobsChanged changed) {
        for (JobEvent job : changed.events()) {
            if (job.scheduleId() != null && "COMPLETED".equals(job.status())) {
                selfDestructDue = true;
                wake();
                return;
            }
        }
    }

    private void wake() {
        synchronized (monitor) {
            woken = true;
            monitor.notifyAll();
        }
    }

    private void await(long millis) {
        synchronized (monitor) {
            if (!woken && millis > 0) {
                try {
                    monitor.wait(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            woken = false;
        }
    }

    private void loop() {
        // The last term whose @reboot slots all committed. Not forgotten while the lease lapses: this replica
        // taking its own lease back is the same term (see LeaderElector), and owes no @reboot slots again.
        Long handledTerm = null;
        long idleBackoff = 0;
        while (!stopping) {
            try {
                Optional<LeaderElector.Lease> lease = leader.lease();
                if (lease.isEmpty()) {
                    await(1000);
                    continue;
                }
                long term = lease.get().token();
                boolean rebootOwed = handledTerm == null || handledTerm != term;
                if (rebootOwed) {
                    if (fireReboot(lease.get().since())) {
                        handledTerm = term;
                        rebootOwed = false;
                    }
                    selfDestructDue = true;
                }
                if (selfDestructDue || System.nanoTime() - lastSweep > SWEEP_NANOS) {
                    selfDestructDue = false;
                    lastSweep = System.nanoTime();
                    removeSelfDestructed();
                }
                int fired = 0;
                int round;
                do {
                    round = fireDue();
                    fired += round;
                } while (round == BATCH);
                long wait = store.untilNextDue().map(ms -> Math.max(0, Math.min(ms, MAX_IDLE_MILLIS))).orElse(MAX_IDLE_MILLIS);
                if (wait == 0 && fired == 0) {
                    // Due, yet nothing could be taken: rows locked by another transaction, or waiting after a
                    // failure. Back off instead of asking again at once.
                    idleBackoff = Math.min(MAX_BACKOFF_MILLIS, Math.max(MIN_BACKOFF_MILLIS, idleBackoff * 2));
                    wait = idleBackoff;
                } else {
                    idleBackoff = 0;
                }
                sleepUntilDue(System.nanoTime() + (rebootOwed ? Math.min(wait, 1000) : wait) * 1_000_000, term);
            } catch (RuntimeException e) {
                LOG.warnf("Firing schedules failed (%s); trying again in 1s", e.getMessage());
                await(1000);
            }
        }
    }

    /**
     * Waits for the deadline or a wake-up, checking every second, without asking the database, that this
     * replica still leads in the same term (a new term fires the @reboot schedules).
     */
    private void sleepUntilDue(long deadlineNanos, long term) {
        synchronized (monitor) {
            while (!woken && !stopping && leader.lease().map(l -> l.token() == term).orElse(false)) {
                long remaining = (deadlineNanos - System.nanoTime()) / 1_000_000;
                if (remaining <= 0) {
                    break;
                }
                try {
                    monitor.wait(Math.min(remaining, 1000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            woken = false;
        }
    }

    /** Fires one batch of due schedules; returns how many schedules were due. */
    int fireDue() {
        long nowNanos = System.nanoTime();
        waiting.values().removeIf(until -> until - nowNanos <= 0);
        return sql.inTransaction(tx -> {
            List<Schedule> due = store.lockDue(tx, BATCH, waiting.keySet());
            if (due.isEmpty()) {
                return 0;
            }
            Instant now = store.now(tx).toInstant();
            for (Schedule schedule : due) {
                SlotPlan plan;
                try {
                    plan = SlotPlan.of(schedule, schedule.nextRunAt().toInstant(), now,
                            config.schedules().misfireThreshold(), config.schedules().catchUpLimit());
                } catch (RuntimeException e) {
                    setAside(tx, schedule.id(), e);
                    continue;
                }
                try {
                    fire(tx, schedule, plan);
                } catch (RuntimeException e) {
                    // The batch rolls back; the next round leaves this schedule out for a while.
                    waiting.put(schedule.id(), System.nanoTime() + RETRY_FAILED_NANOS);
                    LOG.warnf("Firing schedule %s failed (%s); the others go on, it is tried again in %ds",
                            schedule.name(), e.getMessage(), RETRY_FAILED_NANOS / 1_000_000_000);
                    throw e;
                }
            }
            return due.size();
        });
    }

    private void fire(Sql.Tx tx, Schedule s, SlotPlan plan) {
        if (plan.note != null) {
            LOG.infof("Schedule %s %s", s.name(), plan.note);
        }
        OffsetDateTime lastRun = null;
        for (SlotPlan.Step step : plan.steps) {
            OffsetDateTime at = ScheduleService.utc(step.slot());
            if (!step.fires()) {
                slots.skip(tx, s, at, step.skipReason());
            } else if (slots.fire(tx, s, at, true).isPresent()) {
                lastRun = at;
            }
        }
        store.advance(tx, s.id(), lastRun, plan.next == null ? null : ScheduleService.utc(plan.next));
    }

    /** A schedule that cannot be evaluated goes out of the timetable, with its error, instead of failing the batch. */
    private void setAside(Sql.Tx tx, long id, RuntimeException cause) {
        String error = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        store.setAside(tx, id, error).ifPresent(name -> {
            LOG.warnf("Schedule %s cannot be evaluated and was set aside (status BROKEN): %s", name, error);
            events.publish(tx, List.of(new ScheduleEvent(id, name, ScheduleEventType.BROKEN, null, OffsetDateTime.now(), error)));
        });
    }

    /**
     * Fires the @reboot schedules the term that began at {@code termStart} still owes, each in a transaction of its
     * own so that one failure or one locked row holds up no other. Returns true once none is owed any more.
     */
    private boolean fireReboot(OffsetDateTime termStart) {
        List<Long> pending = store.rebootPending(termStart);
        if (pending.isEmpty()) {
            return true;
        }
        for (long id : pending) {
            try {
                sql.inTransaction(tx -> {
                    store.lockReboot(tx, id).ifPresent(s -> {
                        // A skipped slot (maxInstances) is not a run: lastRunAt stays.
                        if (slots.fire(tx, s, termStart, true).isPresent()) {
                            store.advance(tx, s.id(), termStart, null);
                        }
                    });
                    return null;
                });
            } catch (RuntimeException e) {
                LOG.warnf("Firing @reboot schedule %d failed (%s); trying again in 1s", id, e.getMessage());
            }
        }
        return false;
    }

    private void removeSelfDestructed() {
        sql.inTransaction(tx -> {
            List<Schedule> removed = store.deleteSelfDestructed(tx);
            for (Schedule s : removed) {
                events.publish(tx, s, ScheduleEventType.DELETED, null, "self-destructed after its first successful run");
                LOG.infof("Schedule %s self-destructed after its first successful run", s.name());
            }
            return null;
        });
    }
}
