package dev.jobyard.schedule;

public enum ScheduleEventType {
    CREATED, UPDATED, DELETED, PAUSED, RESUMED, FIRED, SKIPPED, COMPLETED, FAILED
}
