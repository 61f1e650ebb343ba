package dev.jobyard.schedule.expression;

import dev.jobyard.common.BadInputException;
import java.time.ZoneId;
import java.util.Set;

/**
 * Reads the {@code timezone} of a schedule. Only IANA region names (and the aliases the JDK's tz database lists,
 * such as {@code UTC}) are accepted: an offset like {@code +02:00} has no DST, which is what a user who types it
 * into a schedule usually has not thought about, and {@code Etc/GMT-2} says the same thing explicitly.
 */
final class TimeZones {

    static final String DEFAULT = "UTC";

    private TimeZones() {
    }

    static ZoneId parse(String timezone) {
        String name = timezone == null || timezone.isBlank() ? DEFAULT : timezone.trim();
        Set<String> known = ZoneId.getAvailableZoneIds();
        if (known.contains(name)) {
            return ZoneId.of(name);
        }
        String problem = "'" + name + "' is not an IANA time zone";
        for (String candidate : known) {
            if (candidate.equalsIgnoreCase(name)) {
                // Names are case-sensitive in the tz database; "europe/berlin" is a typo worth naming.
                return fail(problem + "; did you mean '" + candidate + "'?");
            }
        }
        return fail(problem + " (use a name such as 'Europe/Berlin' or 'America/New_York')");
    }

    private static ZoneId fail(String problem) {
        throw new BadInputException("timezone", problem);
    }
}
