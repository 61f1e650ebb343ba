package dev.jobyard.schedule.expression;

import dev.jobyard.common.BadInputException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the durations of {@code 30s}, {@code @every 5 minutes} and {@code @after 2 hours}: one or more
 * "whole number, unit" parts ({@code 1h30m}, {@code 1 hour 30 minutes}), units seconds, minutes, hours and days in
 * short, singular or plural spelling. A day is 24 hours: these are fixed spans of real time, not calendar steps.
 */
final class DurationSyntax {

    /** 100 years: beyond any sensible period, and small enough that anchor + period never overflows an Instant. */
    static final long MAX_DAYS = 36_500;

    private static final Pattern PART = Pattern.compile("(\\d+)\\s*([a-z]+)");
    // One optional space run between parts: two adjacent \s* would let a failing match backtrack exponentially.
    private static final Pattern WHOLE = Pattern.compile("\\s*" + PART.pattern() + "(?:\\s*" + PART.pattern() + ")*\\s*");
    private static final String UNITS = "seconds, minutes, hours or days (s, m, h, d)";
    private static final Map<String, Long> SECONDS_PER_UNIT = Map.ofEntries(
            Map.entry("s", 1L), Map.entry("sec", 1L), Map.entry("secs", 1L),
            Map.entry("second", 1L), Map.entry("seconds", 1L),
            Map.entry("m", 60L), Map.entry("min", 60L), Map.entry("mins", 60L),
            Map.entry("minute", 60L), Map.entry("minutes", 60L),
            Map.entry("h", 3_600L), Map.entry("hr", 3_600L), Map.entry("hrs", 3_600L),
            Map.entry("hour", 3_600L), Map.entry("hours", 3_600L),
            Map.entry("d", 86_400L), Map.entry("day", 86_400L), Map.entry("days", 86_400L));

    private DurationSyntax() {
    }

    /** True when {@code text} has the shape of a duration, so that a bare {@code 5m} can be told from cron. */
    static boolean looksLikeDuration(String text) {
        return WHOLE.matcher(text.toLowerCase(Locale.ROOT)).matches();
    }

    /**
     * @param text the duration alone ("5 minutes")
     * @param whole the whole schedule string, quoted in messages so the user sees what they typed
     * @param what "interval" or "delay", the word the messages use
     */
    static Duration parse(String text, String whole, String what) {
        String lower = text.toLowerCase(Locale.ROOT).trim();
        if (lower.isEmpty()) {
            throw bad("'" + whole + "' needs a duration, e.g. '" + whole + " 5 minutes'");
        }
        if (!WHOLE.matcher(lower).matches()) {
            throw bad("'" + whole + "' is not a duration: expected a whole number and a unit, e.g. '5 minutes' or '5m'");
        }
        long seconds = 0;
        Matcher part = PART.matcher(lower);
        try {
            while (part.find()) {
                Long unit = SECONDS_PER_UNIT.get(part.group(2));
                if (unit == null) {
                    throw bad("unknown unit '" + part.group(2) + "' in '" + whole + "'; use " + UNITS);
                }
                seconds = Math.addExact(seconds, Math.multiplyExact(Long.parseLong(part.group(1)), unit));
            }
        } catch (NumberFormatException | ArithmeticException tooBig) {
            throw tooLong(what, whole);
        }
        if (seconds < 1) {
            throw bad(what + " '" + whole + "' must be at least 1 second");
        }
        if (seconds > MAX_DAYS * 86_400) {
            throw tooLong(what, whole);
        }
        return Duration.ofSeconds(seconds);
    }

    private static BadInputException tooLong(String what, String whole) {
        return bad(what + " '" + whole + "' is longer than the maximum of " + MAX_DAYS + " days");
    }

    private static BadInputException bad(String problem) {
        return new BadInputException("schedule", problem);
    }
}
