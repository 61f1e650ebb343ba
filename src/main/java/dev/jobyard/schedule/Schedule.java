package dev.jobyard.schedule;

import java.time.OffsetDateTime;

import dev.jobyard.schedule.expression.ScheduleKind;

/**
 * A schedule as stored. {@code nextRunAt} is null when nothing is due (manual, @reboot, a spent one-off); it is
 * kept while paused. {@code error} says why a BROKEN schedule was set aside.
 */
public record Schedule(long id, String name, String description, String expression, ScheduleKind kind,
        String timezone, JobTemplate job, ScheduleStatus status, Integer maxInstances, boolean selfDestruct,
        boolean exclusive, MisfirePolicy misfirePolicy, OffsetDateTime anchorAt, OffsetDateTime createdAt,
        OffsetDateTime updatedAt, OffsetDateTime lastRunAt, OffsetDateTime nextRunAt, String error) {
}
