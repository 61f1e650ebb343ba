package dev.jobyard.schedule.expression;

import dev.jobyard.common.BadInputException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Objects;

/**
 * Decides which form a schedule string is and hands it to the syntax for that form. The forms are told apart by
 * their first word or their shape before any of them is parsed, so each mistake is reported in the terms of the
 * form the user was evidently writing ("unknown unit" for {@code 5x}, not "not a cron expression").
 */
final class ScheduleParser {

    static final String MANUAL = "manual";

    private ScheduleParser() {
    }

    static ScheduleExpression parse(String expression, String timezone, Instant anchor) {
        Objects.requireNonNull(anchor, "anchor");
        ZoneId zone = TimeZones.parse(timezone);
        String text = expression == null ? "" : expression.trim();
        String lower = text.toLowerCase(Locale.ROOT);
        if (text.isEmpty() || lower.equals(MANUAL)) {
            return new ScheduleExpression(ScheduleKind.MANUAL, MANUAL, zone, FireTimes.NEVER);
        }
        if (lower.equals("@reboot")) {
            return new ScheduleExpression(ScheduleKind.REBOOT, text, zone, FireTimes.NEVER);
        }
        if (lower.equals("now")) {
            return once(text, zone, anchor);
        }
        String[] words = text.split("\\s+", 2);
        String keyword = words[0].toLowerCase(Locale.ROOT);
        String rest = words.length > 1 ? words[1] : "";
        if (keyword.equals("@every")) {
            return interval(text, zone, anchor, DurationSyntax.parse(rest, text, "interval"));
        }
        if (keyword.equals("@after")) {
            return once(text, zone, anchor.plus(DurationSyntax.parse(rest, text, "delay")));
        }
        if (text.startsWith("@")) {
            return cron(text, zone, anchor, new CronSchedule(CronSyntax.macro(text), zone));
        }
        if (TimestampSyntax.looksLikeTimestamp(text)) {
            return once(text, zone, TimestampSyntax.parse(text, zone));
        }
        if (DurationSyntax.looksLikeDuration(text)) {
            return interval(text, zone, anchor, DurationSyntax.parse(text, text, "interval"));
        }
        return cron(text, zone, anchor, new CronSchedule(CronSyntax.parse(text), zone));
    }

    private static ScheduleExpression cron(String text, ZoneId zone, Instant anchor, CronSchedule schedule) {
        // Only a day-of-month that no listed month has (31 in April, 30 in February) makes a cron never match;
        // such a schedule is a mistake, not a job that should silently never run.
        if (schedule.nextAfter(anchor).isEmpty()) {
            throw new BadInputException("schedule", "'" + text
                    + "' never fires: its day-of-month does not occur in any of its months");
        }
        return new ScheduleExpression(ScheduleKind.CRON, text, zone, schedule);
    }

    private static ScheduleExpression interval(String text, ZoneId zone, Instant anchor, Duration period) {
        return new ScheduleExpression(ScheduleKind.INTERVAL, text, zone, new IntervalSchedule(anchor, period));
    }

    private static ScheduleExpression once(String text, ZoneId zone, Instant at) {
        return new ScheduleExpression(ScheduleKind.ONCE, text, zone, new OnceSchedule(at));
    }
}
