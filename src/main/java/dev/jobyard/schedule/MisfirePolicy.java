package dev.jobyard.schedule;

/** What a schedule does about slots it missed while no leader could fire them (downtime). */
public enum MisfirePolicy {
    /** Fire once for the missed slots, then go on with the timetable. */
    FIRE_ONCE,
    /** Record the missed slots as skipped and wait for the next one. */
    SKIP,
    /** Fire every missed slot, oldest first, up to jobyard.schedules.catch-up-limit; skip older ones. */
    CATCH_UP
}
