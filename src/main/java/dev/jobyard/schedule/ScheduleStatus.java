package dev.jobyard.schedule;

public enum ScheduleStatus {
    ACTIVE, PAUSED,
    /** Set aside by the firer because it can no longer be evaluated; {@code error} says why. updateSchedule repairs it. */
    BROKEN
}
