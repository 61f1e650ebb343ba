package dev.jobyard.schedule.expression;

import dev.jobyard.common.BadInputException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.regex.Pattern;

/**
 * Reads the ISO-8601 timestamp of a one-off schedule: with an offset or Z ({@code 2025-06-01T09:00:00+02:00}),
 * optionally with a region ({@code ...+02:00[Europe/Berlin]}), or local ({@code 2025-06-01T09:00}, or a date alone
 * for its midnight), which is taken in the schedule's zone with the same DST rules as cron slots.
 */
final class TimestampSyntax {

    private static final Pattern DATE_START = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}");

    private TimestampSyntax() {
    }

    /** True when {@code text} starts like an ISO date, so that a mistyped timestamp gets a timestamp message. */
    static boolean looksLikeTimestamp(String text) {
        return DATE_START.matcher(text).find();
    }

    /** The instant, truncated to the microseconds the database keeps (a finer one could never be stored). */
    static Instant parse(String text, ZoneId zone) {
        return ScheduleExpression.stored(parseExact(text, zone));
    }

    private static Instant parseExact(String text, ZoneId zone) {
        try {
            TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parseBest(text,
                    ZonedDateTime::from, LocalDateTime::from);
            if (parsed instanceof LocalDateTime local) {
                return WallClock.resolve(local, zone);
            }
            return Instant.from(parsed);
        } catch (DateTimeParseException notDateTime) {
            try {
                return WallClock.resolve(LocalDate.parse(text).atStartOfDay(), zone);
            } catch (DateTimeParseException notDate) {
                // A text no longer than a date was meant as a date; its parse error is the one that explains it.
                DateTimeParseException meant = text.length() <= "yyyy-mm-dd".length() ? notDate : notDateTime;
                throw new BadInputException("schedule", "'" + text + "' is not a valid ISO-8601 timestamp"
                        + reason(meant) + "; expected e.g. '2025-06-01T09:00:00Z', '2025-06-01T09:00:00+02:00'"
                        + " or '2025-06-01T09:00' in the schedule's time zone");
            }
        } catch (DateTimeException outOfRange) {
            throw new BadInputException("schedule", "'" + text + "' is not a representable time: "
                    + outOfRange.getMessage());
        }
    }

    /** The JDK's message repeats the whole text; its cause says what is actually wrong, when there is one. */
    private static String reason(DateTimeParseException e) {
        Throwable cause = e.getCause();
        return cause != null && cause.getMessage() != null ? " (" + cause.getMessage() + ")" : "";
    }
}
