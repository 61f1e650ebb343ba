/**
 * The {@code schedule} strings of Jobyard: parsing one string (cron, macro, interval, one-off, {@code @reboot} or
 * manual) in a time zone, and computing when it fires. Pure computation, with no database and no CDI, so that the
 * API can validate input, the scheduler can compute the next slot, and both agree. {@link
 * dev.jobyard.schedule.expression.ScheduleExpression} is the entry point; the rest of the package is its parts.
 */
package dev.jobyard.schedule.expression;
