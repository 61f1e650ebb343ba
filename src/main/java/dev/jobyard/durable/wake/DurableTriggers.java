package dev.jobyard.durable.wake;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import dev.jobyard.database.DatabaseNotReady;
import dev.jobyard.durable.CronTrigger;
import dev.jobyard.durable.DurableHandler;
import dev.jobyard.leadership.LeaderElector;
import dev.jobyard.schedule.Schedule;
import dev.jobyard.schedule.ScheduleRequest;
import dev.jobyard.schedule.ScheduleService;
import io.quarkus.scheduler.Scheduled;

/**
 * Cron triggers declared in code ({@link DurableHandler#triggers()}): once per leader term, the leader makes each a
 * schedule of that name (created, or updated when its expression, kind or payload changed). They are ordinary
 * schedules from then on: they fire once per slot and survive restarts.
 */
@ApplicationScoped
public class DurableTriggers {

    private static final Logger LOG = Logger.getLogger(DurableTriggers.class);

    private final Instance<DurableHandler> handlers;
    private final ScheduleService schedules;
    private final LeaderElector leader;
    private volatile long doneForTerm = -1;

    DurableTriggers(@Any Instance<DurableHandler> handlers, ScheduleService schedules, LeaderElector leader) {
        this.handlers = handlers;
        this.schedules = schedules;
        this.leader = leader;
    }

    @Scheduled(every = "5s", delayed = "1s", skipExecutionIf = DatabaseNotReady.class,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        var lease = leader.lease();
        if (lease.isEmpty() || lease.get().token() == doneForTerm) {
            return;
        }
        try {
            createDeclared();
            doneForTerm = lease.get().token();
        } catch (RuntimeException e) {
            LOG.warnf("Could not create the cron triggers declared in code (%s); the leader tries again", e.getMessage());
        }
    }

    /** Creates or updates the schedule of every trigger declared in code; returns how many there are. */
    public int createDeclared() {
        int n = 0;
        for (DurableHandler handler : handlers) {
            for (CronTrigger trigger : handler.triggers()) {
                apply(handler.kind(), trigger);
                n++;
            }
        }
        return n;
    }

    private void apply(String kind, CronTrigger trigger) {
        ScheduleRequest request = new ScheduleRequest(trigger.name(), "declared by durable kind " + kind,
                trigger.expression(), null, kind, trigger.payload(), null, null, null, null, null, null, null, null);
        var existing = schedules.find(null, trigger.name());
        if (existing.isEmpty()) {
            schedules.create(request);
        } else if (differs(existing.get(), kind, trigger)) {
            schedules.update(String.valueOf(existing.get().id()), request);
        }
    }

    private static boolean differs(Schedule s, String kind, CronTrigger trigger) {
        return !s.expression().equals(trigger.expression()) || !s.job().kind().equals(kind)
                || !s.job().payload().equals(trigger.payload());
    }
}
