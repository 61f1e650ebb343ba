package dev.jobyard.job;

import java.time.OffsetDateTime;

import dev.jobyard.event.JobEvent;

/**
 * A row the store just changed, with what an event about it needs; {@code owner} is set on the ends of jobs a
 * workflow owns (see {@link JobOwner}).
 */
public record JobChange(long id, String queue, String kind, JobStatus status, JobStatus previous, int attempt,
        OffsetDateTime runAt, boolean runnable, String error, Long scheduleId, String owner) {

    public JobChange(long id, String queue, String kind, JobStatus status, JobStatus previous, int attempt,
            OffsetDateTime runAt, boolean runnable, String error, Long scheduleId) {
        this(id, queue, kind, status, previous, attempt, runAt, runnable, error, scheduleId, null);
    }

    /** A change whose schedule does not matter to anyone listening (only final states are reported per schedule). */
    public JobChange(long id, String queue, String kind, JobStatus status, JobStatus previous, int attempt,
            OffsetDateTime runAt, boolean runnable, String error) {
        this(id, queue, kind, status, previous, attempt, runAt, runnable, error, null, null);
    }

    public JobEvent toEvent(OffsetDateTime at) {
        return new JobEvent(id, queue, kind, status.name(), previous == null ? null : previous.name(), attempt, at,
                runAt, runnable, error, scheduleId);
    }
}
