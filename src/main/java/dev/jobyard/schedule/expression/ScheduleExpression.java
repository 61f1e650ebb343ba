package dev.jobyard.schedule.expression;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.OptionalLong;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One parsed {@code schedule} string, its time zone, and the times it fires at. Immutable and thread-safe.
 *
 * <h2>Forms</h2>
 * <ul>
 *   <li>{@link ScheduleKind#CRON}: standard 5-field cron, {@code minute hour day-of-month month day-of-week}, with
 *       lists, ranges, steps and names ({@code *}{@code /15}, {@code 0 9-17 * * 1-5}, {@code 0 0 * * MON},
 *       {@code 0 0 1 JAN *}); 0 and 7 are both Sunday; when both day-of-month and day-of-week are restricted, a day
 *       matching either fires (as in Vixie cron). {@code L}, {@code W}, {@code #} and {@code ?} are not accepted.
 *       Macros: {@code @yearly}/{@code @annually} (0 0 1 1 *), {@code @monthly} (0 0 1 * *), {@code @weekly}
 *       (0 0 * * 0), {@code @daily}/{@code @midnight} (0 0 * * *), {@code @hourly} (0 * * * *). Times are wall
 *       clock times in the schedule's zone. A cron that can never match (day 30 of February) is rejected.</li>
 *   <li>{@link ScheduleKind#INTERVAL}: {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}, {@code @every 30 seconds},
 *       {@code @every 1 hour 30 minutes}; units seconds, minutes, hours, days (a day is 24 hours); at least 1 second,
 *       at most 36500 days. Fires at anchor + k × interval for k ≥ 1, in real time regardless of DST.</li>
 *   <li>{@link ScheduleKind#ONCE}: {@code now} (at the anchor), {@code @after 10 minutes} (anchor + duration), or an
 *       ISO-8601 timestamp; one with an offset or Z is that instant, a local one ({@code 2025-06-01T09:00}, or a
 *       date alone for its midnight) is read in the schedule's zone by the DST rules below. A time already past
 *       parses (validation shows it has no next fire time), but createSchedule refuses it.</li>
 *   <li>{@link ScheduleKind#REBOOT}: {@code @reboot}; fires when a node starts, so it has no computed times.</li>
 *   <li>{@link ScheduleKind#MANUAL}: null, blank or {@code manual} (any case); only runs when triggered.</li>
 * </ul>
 * Keywords, macros, units and cron names are case-insensitive. The time zone is an IANA name, {@code UTC} when
 * null or blank.
 *
 * <h2>Daylight saving time (cron and local timestamps)</h2>
 * <ul>
 *   <li>A local time in a DST gap fires once, at the end of the gap: a daily 02:30 job in America/New_York runs at
 *       03:00 EDT on the spring-forward day. Slots in the gap and the slot at the gap's end are one fire time, so an
 *       hourly job fires at 01:00 EST, 03:00 EDT, 04:00 EDT, and a *&#47;15 job at 01:45 EST, 03:00 EDT, 03:15 EDT.</li>
 *   <li>A local time that occurs twice in an overlap fires once, at its first occurrence: a daily 01:30 job runs
 *       at 01:30 EDT on the fall-back day and not again at 01:30 EST. So an hourly job fires at 01:00 EDT and next
 *       at 02:00 EST, two real hours later; a job that needs fixed real-time spacing should use an interval.</li>
 * </ul>
 *
 * <h2>Asking for times</h2>
 * Every query is strictly after the given instant. A schedule's first slot is {@code nextAfter(anchor.minusNanos(1))}:
 * that includes a slot at the anchor itself, which is where {@code now} fires (intervals start one period after
 * the anchor, so for them it is the same as {@code nextAfter(anchor)}). Each later slot is {@code nextAfter} the
 * previous one.
 */
public final class ScheduleExpression {

    // A dense stretch (every minute of January) can put many slots into the last doubling of the window.
    private static final long MAX_WINDOW_WALK = 1_000_000;

    private final ScheduleKind kind;
    private final String expression;
    private final ZoneId zone;
    private final FireTimes fireTimes;

    ScheduleExpression(ScheduleKind kind, String expression, ZoneId zone, FireTimes fireTimes) {
        this.kind = kind;
        this.expression = expression;
        this.zone = zone;
        this.fireTimes = fireTimes;
    }

    /**
     * Parses one {@code schedule} string; its kind is derived. {@code anchor} is the schedule's creation time:
     * intervals count from it and {@code @after} / {@code now} are relative to it.
     *
     * @param expression the schedule; null or blank means manual
     * @param timezone an IANA time zone name; null or blank means UTC
     * @param anchor the schedule's creation time, required
     * @throws dev.jobyard.common.BadInputException with field "schedule" or "timezone" and a message that says which
     *         part is wrong and why
     */
    public static ScheduleExpression parse(String expression, String timezone, Instant anchor) {
        return ScheduleParser.parse(expression, timezone, anchor);
    }

    public ScheduleKind kind() {
        return kind;
    }

    /** The schedule as given, trimmed; {@code "manual"} for every spelling of a manual schedule. */
    public String expression() {
        return expression;
    }

    public ZoneId zone() {
        return zone;
    }

    /**
     * First fire time strictly after {@code after}; empty when there is none (MANUAL, REBOOT, ONCE already past).
     * Fire times have the database's precision, microseconds: a finer one would be stored as a time that is not
     * after {@code after}, and the firer would be given the same slot again and again.
     */
    public Optional<Instant> nextAfter(Instant after) {
        Objects.requireNonNull(after, "after");
        Optional<Instant> raw = fireTimes.nextAfter(after);
        while (raw.isPresent() && !stored(raw.get()).isAfter(after)) {
            raw = fireTimes.nextAfter(raw.get());
        }
        return raw.map(ScheduleExpression::stored);
    }

    /** {@code t} as the database keeps it: truncated to microseconds. */
    public static Instant stored(Instant t) {
        return t.truncatedTo(ChronoUnit.MICROS);
    }

    /** Whether {@code t} is one of the fire times (a stored slot may not be, after a time-zone rule change). */
    public boolean isSlot(Instant t) {
        return nextAfter(t.minus(1, ChronoUnit.MICROS)).map(t::equals).orElse(false);
    }

    /** The slots in {@code [from, before)}: how many, and the latest {@code keep} of them, oldest first. */
    public record Slots(long count, boolean countCapped, List<Instant> latest) {
    }

    /**
     * The slots in {@code [from, before)} without walking the whole range: the latest ones come from a window
     * before {@code before} that doubles until it holds {@code keep} slots, and the count is exact for intervals
     * and counted up to {@code countCap} otherwise ({@code countCapped} then says there were more).
     */
    public Slots slotsBetween(Instant from, Instant before, int keep, long countCap) {
        if (!from.isBefore(before)) {
            return new Slots(0, false, List.of());
        }
        Duration span = interval().orElse(Duration.ofMinutes(1)).multipliedBy(Math.max(1, keep));
        ArrayDeque<Instant> latest = new ArrayDeque<>();
        long inWindow;
        Instant start;
        do {
            start = Duration.between(from, before).compareTo(span) <= 0 ? from : before.minus(span);
            latest.clear();
            inWindow = 0;
            for (Optional<Instant> t = nextAfter(start.minus(1, ChronoUnit.MICROS));
                    t.isPresent() && t.get().isBefore(before) && inWindow < MAX_WINDOW_WALK; t = nextAfter(t.get())) {
                inWindow++;
                latest.addLast(t.get());
                if (latest.size() > keep) {
                    latest.removeFirst();
                }
            }
            span = span.multipliedBy(2);
        } while (inWindow < keep && start.isAfter(from));
        OptionalLong exact = fireTimes.count(from, before);
        if (exact.isPresent()) {
            return new Slots(exact.getAsLong(), false, List.copyOf(latest));
        }
        if (!start.isAfter(from)) {
            return new Slots(inWindow, false, List.copyOf(latest));
        }
        long count = 0;
        for (Optional<Instant> t = nextAfter(from.minus(1, ChronoUnit.MICROS));
                t.isPresent() && t.get().isBefore(before) && count <= countCap; t = nextAfter(t.get())) {
            count++;
        }
        return count > countCap ? new Slots(countCap, true, List.copyOf(latest)) : new Slots(count, false, List.copyOf(latest));
    }

    /** Up to {@code count} fire times strictly after {@code after}, in order; fewer when the schedule runs out. */
    public List<Instant> next(Instant after, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, was " + count);
        }
        Objects.requireNonNull(after, "after");
        List<Instant> times = new ArrayList<>(Math.min(count, 100));
        Instant cursor = after;
        while (times.size() < count) {
            Optional<Instant> next = fireTimes.nextAfter(cursor);
            if (next.isEmpty()) {
                break;
            }
            times.add(next.get());
            cursor = next.get();
        }
        return List.copyOf(times);
    }

    /** For INTERVAL the period, else empty. */
    public Optional<Duration> interval() {
        return fireTimes.interval();
    }

    @Override
    public String toString() {
        return kind + " '" + expression + "' in " + zone.getId();
    }
}
