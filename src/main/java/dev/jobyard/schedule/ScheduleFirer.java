package dev.jobyard.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
import dev.jobyard.schedule.expression.ScheduleExpression;
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
    private static final long MAX_MISSED_SCAN = 1_000_000;
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
        Long ledWithToken = null;
        while (!stopping) {
            try {
                Optional<LeaderElector.Lease> lease = leader.lease();
                if (lease.isEmpty()) {
                    ledWithToken = null;
                    await(1000);
                    continue;
                }
                if (ledWithToken == null || ledWithToken != lease.get().token()) {
                    ledWithToken = lease.get().token();
                    fireReboot(lease.get().since());
                    selfDestructDue = true;
                }
                if (selfDestructDue || System.nanoTime() - lastSweep > SWEEP_NANOS) {
                    selfDestructDue = false;
                    lastSweep = System.nanoTime();
                    removeSelfDestructed();
                }
                while (fireDue() == BATCH) {
                    // more were due than one batch holds
                }
                long wait = store.untilNextDue().map(ms -> Math.max(0, Math.min(ms, MAX_IDLE_MILLIS))).orElse(MAX_IDLE_MILLIS);
                sleepUntilDue(System.nanoTime() + wait * 1_000_000, ledWithToken);
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
        return sql.inTransaction(tx -> {
            List<Schedule> due = store.lockDue(tx, BATCH);
            if (due.isEmpty()) {
                return 0;
            }
            Instant now = store.now(tx).toInstant();
            for (Schedule schedule : due) {
                fire(tx, schedule, now);
            }
            return due.size();
        });
    }

    private void fire(Sql.Tx tx, Schedule s, Instant now) {
        ScheduleExpression expression = ScheduleService.parse(s.expression(), s.timezone(), s.anchorAt());
        Instant slot = s.nextRunAt().toInstant();
        Duration late = Duration.between(slot, now);
        OffsetDateTime lastRun = null;
        Instant next;
        if (late.compareTo(config.schedules().misfireThreshold()) <= 0) {
            if (slots.fire(tx, s, ScheduleService.utc(slot), true).isPresent()) {
                lastRun = ScheduleService.utc(slot);
            }
            next = expression.nextAfter(slot).orElse(null);
        } else {
            lastRun = misfired(tx, s, expression, slot, now);
            next = expression.nextAfter(now).orElse(null);
        }
        store.advance(tx, s.id(), lastRun, next == null ? null : ScheduleService.utc(next));
    }

    /** Applies the misfire policy to the slots from {@code first} up to now; returns the last slot fired. */
    private OffsetDateTime misfired(Sql.Tx tx, Schedule s, ScheduleExpression expression, Instant first, Instant now) {
        List<Instant> missed = new ArrayList<>();
        long count = 0;
        int keep = s.misfirePolicy() == MisfirePolicy.CATCH_UP ? Math.max(1, config.schedules().catchUpLimit()) : 1;
        for (Instant t = first; t != null && !t.isAfter(now) && count < MAX_MISSED_SCAN; t = expression.nextAfter(t).orElse(null)) {
            count++;
            missed.add(t);
            if (missed.size() > keep) {
                missed.remove(0);
            }
        }
        LOG.infof("Schedule %s missed %d slots (from %s); misfire policy %s", s.name(), count, first, s.misfirePolicy());
        Instant latest = missed.get(missed.size() - 1);
        switch (s.misfirePolicy()) {
            case SKIP -> {
                slots.skip(tx, s, ScheduleService.utc(latest), "missed " + count + " slots while no leader could fire them (misfire policy SKIP)");
                return null;
            }
            case FIRE_ONCE -> {
                return slots.fire(tx, s, ScheduleService.utc(latest), true).map(id -> ScheduleService.utc(latest)).orElse(null);
            }
            default -> {
                if (count > missed.size()) {
                    slots.skip(tx, s, ScheduleService.utc(first), (count - missed.size())
                            + " missed slots older than the catch-up limit were dropped");
                }
                OffsetDateTime last = null;
                for (Instant t : missed) {
                    if (slots.fire(tx, s, ScheduleService.utc(t), true).isPresent()) {
                        last = ScheduleService.utc(t);
                    }
                }
                return last;
            }
        }
    }

    private void fireReboot(OffsetDateTime leaderSince) {
        sql.inTransaction(tx -> {
            for (Schedule s : store.lockReboot(tx)) {
                slots.fire(tx, s, leaderSince, true);
                store.advance(tx, s.id(), leaderSince, null);
            }
            return null;
        });
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
