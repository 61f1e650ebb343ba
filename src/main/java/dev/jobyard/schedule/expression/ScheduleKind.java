package dev.jobyard.schedule.expression;

/** What a schedule string is, derived from its form by {@link ScheduleExpression#parse}. */
public enum ScheduleKind {
    /** A 5-field cron expression or a macro such as {@code @daily}: wall-clock times in the schedule's zone. */
    CRON,
    /** A fixed period counted from the anchor: {@code 5m}, {@code @every 5 minutes}. */
    INTERVAL,
    /** A single time: {@code now}, {@code @after 10 minutes} or an ISO-8601 timestamp. */
    ONCE,
    /** {@code @reboot}: fires when a node starts, never at a computed time. */
    REBOOT,
    /** No schedule: the job only runs when triggered. */
    MANUAL
}
