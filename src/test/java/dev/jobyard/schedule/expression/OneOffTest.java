package dev.jobyard.schedule.expression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OneOffTest {

    @ParameterizedTest(name = "[{index}] ''{0}'' in {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # expression                               | zone             | fires at (anchor is 2025-01-01T00:00Z)
            now                                        | UTC              | 2025-01-01T00:00Z
            NOW                                        | Europe/Berlin    | 2025-01-01T01:00+01:00
            @after 10 minutes                          | UTC              | 2025-01-01T00:10Z
            @after 2 hours                             | UTC              | 2025-01-01T02:00Z
            @after 30s                                 | UTC              | 2025-01-01T00:00:30Z
            @After 1 day 12 hours                      | UTC              | 2025-01-02T12:00Z
            2025-06-01T09:00:00Z                       | UTC              | 2025-06-01T09:00Z
            2025-06-01T09:00:00.5Z                     | UTC              | 2025-06-01T09:00:00.500Z
            2025-06-01T09:00:00+02:00                  | America/New_York | 2025-06-01T03:00-04:00
            2025-06-01T09:00:00+02:00[Europe/Berlin]   | UTC              | 2025-06-01T07:00Z
            # a local timestamp is read in the schedule's zone, by the DST rules
            2025-06-01T09:00                           | Europe/Berlin    | 2025-06-01T09:00+02:00
            2025-06-01T09:00:00                        | America/New_York | 2025-06-01T09:00-04:00
            2025-06-01                                 | Europe/Berlin    | 2025-06-01T00:00+02:00
            2025-03-09T02:30                           | America/New_York | 2025-03-09T03:00-04:00
            2025-11-02T01:30                           | America/New_York | 2025-11-02T01:30-04:00
            """)
    void firesOnceAtTheTableTime(String expression, String zone, String expected) {
        ScheduleExpression schedule = ScheduleExpression.parse(expression, zone, Times.ANCHOR);
        Instant at = Times.at(expected);

        assertEquals(ScheduleKind.ONCE, schedule.kind());
        assertEquals(List.of(Times.list(expected).get(0)),
                Times.inZone(schedule.next(Times.ANCHOR.minusNanos(1), 5), schedule.zone()));
        assertEquals(at, schedule.nextAfter(at.minusNanos(1)).orElseThrow());
        assertTrue(schedule.nextAfter(at).isEmpty(), "strictly after: nothing once the time itself is reached");
        assertTrue(schedule.interval().isEmpty());
    }

    @Test
    void nowFiresAtTheAnchorWhenAskedFromJustBeforeIt() {
        ScheduleExpression now = ScheduleExpression.parse("now", null, Times.ANCHOR);

        assertEquals(Times.ANCHOR, now.nextAfter(Times.ANCHOR.minusNanos(1)).orElseThrow());
        assertTrue(now.nextAfter(Times.ANCHOR).isEmpty());
    }

    @Test
    void aTimestampAlreadyPastIsAcceptedAndNeverFires() {
        ScheduleExpression past = ScheduleExpression.parse("2020-01-01T00:00:00Z", "UTC", Times.ANCHOR);

        assertEquals(ScheduleKind.ONCE, past.kind());
        assertTrue(past.nextAfter(Times.ANCHOR.minusNanos(1)).isEmpty());
        assertEquals(List.of(), past.next(Times.ANCHOR.minusNanos(1), 3));
        assertEquals(Instant.parse("2020-01-01T00:00:00Z"), past.nextAfter(Instant.EPOCH).orElseThrow());
    }
}
