package dev.jobyard.schedule;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.jobyard.database.Sql;
import dev.jobyard.job.JobStore;
import dev.jobyard.job.NewJob;
import dev.jobyard.observability.JobCreations;
import dev.jobyard.observability.ScheduleMetrics;
import io.vertx.core.json.JsonObject;

/**
 * Turns one slot of one schedule into at most one job, inside the caller's transaction: the slot row
 * (primary key schedule id + slot time) and the job commit together, so a slot that was fired or
 * skipped once can never fire again, whichever replica tries.
 */
@ApplicationScoped
public class SlotFirer {

    private final ScheduleStore schedules;
    private final JobStore jobs;
    private final ScheduleEvents scheduleEvents;
    @Inject
    JobCreations creations;
    @Inject
    ScheduleMetrics metrics;
    @Inject
    dev.jobyard.handler.HandlerRegistry handlers;

    SlotFirer(ScheduleStore schedules, JobStore jobs, ScheduleEvents scheduleEvents) {
        this.schedules = schedules;
        this.jobs = jobs;
        this.scheduleEvents = scheduleEvents;
    }

    /** The job created for the slot; empty when the slot was skipped or had been taken before. */
    public Optional<Long> fire(Sql.Tx tx, Schedule schedule, OffsetDateTime slotAt, boolean respectMaxInstances) {
        if (respectMaxInstances && schedule.maxInstances() != null) {
            long active = schedules.activeJobs(tx, schedule.id());
            if (active >= schedule.maxInstances()) {
                skip(tx, schedule, slotAt, "maxInstances " + schedule.maxInstances() + " reached: " + active
                        + " of its jobs are pending or running");
                return Optional.empty();
            }
        }
        long jobId = jobs.allocateIds(tx, 1).get(0);
        if (!schedules.claimSlot(tx, schedule.id(), slotAt, true, jobId, null)) {
            return Optional.empty();
        }
        JobTemplate t = schedule.job();
        NewJob job = new NewJob(t.queue(), t.kind(), schedule.name(), "slot " + slotAt + " of schedule " + schedule.name(),
                t.payload(), new JsonObject().put("schedule", schedule.name()).put("slot", slotAt.toString()),
                t.priority(), null, 0, t.maxAttempts(), t.timeoutSeconds(), null, List.of(), null, schedule.id(),
                schedule.exclusive(), handlers.find(t.kind()).map(h -> h.owner()).orElse(null),
                handlers.find(t.kind()).map(h -> h.clientName(t.payload())).orElse(null));
        creations.created(tx, jobs.insert(tx, List.of(jobId), List.of(job), List.of(List.of())));
        metrics.fired(tx, schedule.name(), slotAt);
        scheduleEvents.publish(tx, schedule, ScheduleEventType.FIRED, jobId, "slot " + slotAt);
        return Optional.of(jobId);
    }

    /** Records a slot as skipped, with why; false when the slot had been taken before. */
    public boolean skip(Sql.Tx tx, Schedule schedule, OffsetDateTime slotAt, String reason) {
        if (!schedules.claimSlot(tx, schedule.id(), slotAt, false, null, reason)) {
            return false;
        }
        scheduleEvents.publish(tx, schedule, ScheduleEventType.SKIPPED, null, reason);
        metrics.skipped(tx, schedule.name());
        return true;
    }
}
