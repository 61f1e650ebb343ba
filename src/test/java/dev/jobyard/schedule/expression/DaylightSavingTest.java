package dev.jobyard.schedule.expression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The DST rules: a slot in a gap fires once at the gap's end, a slot in an overlap fires once at its first
 * occurrence. 2025 transitions: America/New_York 03-09 02:00→03:00 and 11-02 02:00→01:00; Europe/Berlin 03-30
 * 02:00→03:00 and 10-26 03:00→02:00; America/Santiago 09-07 00:00→01:00 and 04-06 00:00→04-05 23:00.
 */
class DaylightSavingTest {

    @ParameterizedTest(name = "[{index}] ''{0}'' in {1} after {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # expression   | zone             | after                   | next fire times, in the zone's offset
            # gap, daily: 02:30 does not exist and fires at the gap's end, 03:00
            30 2 * * *     | America/New_York | 2025-03-08T02:29-05:00  | 2025-03-08T02:30-05:00 2025-03-09T03:00-04:00 2025-03-10T02:30-04:00
            30 2 * * *     | America/New_York | 2025-03-08T12:00-05:00  | 2025-03-09T03:00-04:00 2025-03-10T02:30-04:00
            30 2 * * *     | Europe/Berlin    | 2025-03-29T12:00+01:00  | 2025-03-30T03:00+02:00 2025-03-31T02:30+02:00
            0 3 * * *      | America/New_York | 2025-03-08T12:00-05:00  | 2025-03-09T03:00-04:00 2025-03-10T03:00-04:00
            # a gap slot and the slot at the gap's end are one fire time
            0 2,3 * * *    | America/New_York | 2025-03-09T00:00-05:00  | 2025-03-09T03:00-04:00 2025-03-10T02:00-04:00
            @daily         | America/Santiago | 2025-09-06T12:00-04:00  | 2025-09-07T01:00-03:00 2025-09-08T00:00-03:00
            # gap, hourly and every 15 minutes: no slot lost but the gap's, none doubled
            0 * * * *      | America/New_York | 2025-03-09T00:30-05:00  | 2025-03-09T01:00-05:00 2025-03-09T03:00-04:00 2025-03-09T04:00-04:00
            0 * * * *      | Europe/Berlin    | 2025-03-30T00:30+01:00  | 2025-03-30T01:00+01:00 2025-03-30T03:00+02:00 2025-03-30T04:00+02:00
            */15 * * * *   | America/New_York | 2025-03-09T01:30-05:00  | 2025-03-09T01:45-05:00 2025-03-09T03:00-04:00 2025-03-09T03:15-04:00
            */15 * * * *   | Europe/Berlin    | 2025-03-30T01:40+01:00  | 2025-03-30T01:45+01:00 2025-03-30T03:00+02:00 2025-03-30T03:15+02:00
            */15 * * * *   | America/New_York | 2025-03-09T03:00-04:00  | 2025-03-09T03:15-04:00
            # overlap, daily: 01:30 New York (02:30 Berlin) happens twice and fires at the first
            30 1 * * *     | America/New_York | 2025-11-01T12:00-04:00  | 2025-11-02T01:30-04:00 2025-11-03T01:30-05:00
            30 1 * * *     | America/New_York | 2025-11-02T01:15-05:00  | 2025-11-03T01:30-05:00
            30 2 * * *     | Europe/Berlin    | 2025-10-25T12:00+02:00  | 2025-10-26T02:30+02:00 2025-10-27T02:30+01:00
            30 2 * * *     | Europe/Berlin    | 2025-10-26T02:45+01:00  | 2025-10-27T02:30+01:00
            0 23 * * *     | America/Santiago | 2025-04-05T12:00-03:00  | 2025-04-05T23:00-03:00 2025-04-06T23:00-04:00
            # overlap, hourly and every 15 minutes: the repeated hour fires once
            0 * * * *      | America/New_York | 2025-11-02T00:30-04:00  | 2025-11-02T01:00-04:00 2025-11-02T02:00-05:00 2025-11-02T03:00-05:00
            0 * * * *      | Europe/Berlin    | 2025-10-26T01:30+02:00  | 2025-10-26T02:00+02:00 2025-10-26T03:00+01:00 2025-10-26T04:00+01:00
            */15 * * * *   | America/New_York | 2025-11-02T01:30-04:00  | 2025-11-02T01:45-04:00 2025-11-02T02:00-05:00 2025-11-02T02:15-05:00
            */15 * * * *   | America/New_York | 2025-11-02T01:10-05:00  | 2025-11-02T02:00-05:00
            */15 * * * *   | Europe/Berlin    | 2025-10-26T02:30+02:00  | 2025-10-26T02:45+02:00 2025-10-26T03:00+01:00 2025-10-26T03:15+01:00
            """)
    void firesByTheDstRules(String expression, String zone, String after, String expected) {
        ScheduleExpression schedule = ScheduleExpression.parse(expression, zone, Times.ANCHOR);
        List<OffsetDateTime> want = Times.list(expected);

        assertEquals(want, Times.inZone(schedule.next(Times.at(after), want.size()), schedule.zone()));
    }

    static Stream<Arguments> transitionDays() {
        return Stream.of(
                // zone, local day, expression, fire times that day: the local day has 23 or 25 hours
                Arguments.of("America/New_York", "2025-03-09", "*/15 * * * *", 92),
                Arguments.of("America/New_York", "2025-03-09", "0 * * * *", 23),
                Arguments.of("America/New_York", "2025-03-09", "30 2 * * *", 1),
                Arguments.of("America/New_York", "2025-11-02", "*/15 * * * *", 96),
                Arguments.of("America/New_York", "2025-11-02", "0 * * * *", 24),
                Arguments.of("America/New_York", "2025-11-02", "30 1 * * *", 1),
                Arguments.of("Europe/Berlin", "2025-03-30", "*/15 * * * *", 92),
                Arguments.of("Europe/Berlin", "2025-03-30", "0 * * * *", 23),
                Arguments.of("Europe/Berlin", "2025-03-30", "30 2 * * *", 1),
                Arguments.of("Europe/Berlin", "2025-10-26", "*/15 * * * *", 96),
                Arguments.of("Europe/Berlin", "2025-10-26", "0 * * * *", 24),
                Arguments.of("Europe/Berlin", "2025-10-26", "30 2 * * *", 1),
                Arguments.of("Europe/Berlin", "2025-10-26", "* * * * *", 24 * 60));
    }

    @ParameterizedTest(name = "[{index}] ''{2}'' in {0} on {1}: {3} fire times")
    @MethodSource("transitionDays")
    void aTransitionDayHasEachLocalSlotOnceExceptTheGap(String zone, String day, String expression, int expected) {
        ZoneId zoneId = ZoneId.of(zone);
        ScheduleExpression schedule = ScheduleExpression.parse(expression, zone, Times.ANCHOR);
        Instant start = LocalDate.parse(day).atStartOfDay(zoneId).toInstant();
        Instant end = LocalDate.parse(day).plusDays(1).atStartOfDay(zoneId).toInstant();

        List<Instant> fires = new ArrayList<>();
        for (Instant t = schedule.nextAfter(start.minusNanos(1)).orElseThrow(); t.isBefore(end);
                t = schedule.nextAfter(t).orElseThrow()) {
            fires.add(t);
        }
        Set<LocalDateTime> localTimes = new HashSet<>();
        for (int i = 0; i < fires.size(); i++) {
            assertTrue(localTimes.add(LocalDateTime.ofInstant(fires.get(i), zoneId)), "doubled " + fires.get(i));
        }
        assertEquals(expected, fires.size());
    }

    static Stream<Arguments> daysAroundTransitions() {
        return Stream.of(
                Arguments.of("America/New_York", "17 */5 * * *", "2025-03-09"),
                Arguments.of("America/New_York", "17 */5 * * *", "2025-11-02"),
                Arguments.of("America/New_York", "30 1 * * *", "2025-11-02"),
                Arguments.of("America/New_York", "30 2 * * 1-5", "2025-03-09"),
                Arguments.of("Europe/Berlin", "0 9-17 * * 1-5", "2025-03-30"),
                Arguments.of("Europe/Berlin", "*/30 2 * * *", "2025-10-26"),
                Arguments.of("Europe/Berlin", "@weekly", "2025-10-26"));
    }

    /**
     * In the three weeks either side of a transition day, the local-time iteration gives exactly what cron-utils
     * gives on zoned date-times: the two only differ on the transition day itself.
     */
    @ParameterizedTest(name = "[{index}] ''{1}'' in {0} around {2}")
    @MethodSource("daysAroundTransitions")
    void agreesWithCronUtilsOnTheDaysAroundATransition(String zone, String expression, String transitionDay) {
        ZoneId zoneId = ZoneId.of(zone);
        LocalDate transition = LocalDate.parse(transitionDay);
        ScheduleExpression schedule = ScheduleExpression.parse(expression, zone, Times.ANCHOR);
        String cron = expression.equals("@weekly") ? "0 0 * * 0" : expression;
        ExecutionTime library = ExecutionTime.forCron(
                new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX)).parse(cron));
        ZonedDateTime from = transition.minusDays(21).atStartOfDay(zoneId);
        ZonedDateTime until = transition.plusDays(22).atStartOfDay(zoneId);

        List<Instant> expected = new ArrayList<>();
        for (ZonedDateTime t = library.nextExecution(from).orElseThrow(); t.isBefore(until);
                t = library.nextExecution(t).orElseThrow()) {
            if (!t.toLocalDate().equals(transition)) {
                expected.add(t.toInstant());
            }
        }
        List<Instant> actual = new ArrayList<>();
        for (Instant t : schedule.next(from.toInstant(), 1000)) {
            if (t.isBefore(until.toInstant()) && !t.atZone(zoneId).toLocalDate().equals(transition)) {
                actual.add(t);
            }
        }
        assertTrue(expected.size() >= 5, "enough slots compared: " + expected.size());
        assertEquals(expected, actual);
    }
}
