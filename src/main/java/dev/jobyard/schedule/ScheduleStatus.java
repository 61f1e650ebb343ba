package dev.jobyard.schedule;

public enum ScheduleStatus {
    ACTIVE, PAUSED
}
