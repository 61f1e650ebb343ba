package dev.jobyard.schedule;

public enum ScheduleEventType {
    CREATED, UPDATED, DELETED, PAUSED, RESUMED, FIRED, SKIPPED, COMPLETED, FAILED,
    /** The firer set the schedule aside (status BROKEN); the detail is the error. */
    BROKEN
}
