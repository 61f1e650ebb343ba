package dev.jobyard.schedule;

import java.time.OffsetDateTime;

/** Something that happened to a schedule; {@code jobId} for FIRED, COMPLETED and FAILED. */
public record ScheduleEvent(long scheduleId, String scheduleName, ScheduleEventType type, Long jobId,
        OffsetDateTime at, String detail) {
}
