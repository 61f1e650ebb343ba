package dev.jobyard.schedule.expression;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IntervalTest {

    @ParameterizedTest(name = "[{index}] ''{0}'' is every {1} seconds")
    @CsvSource(delimiter = '|', textBlock = """
            30s                        | 30
            5m                         | 300
            2h                         | 7200
            1d                         | 86400
            90S                        | 90
            @every 30 seconds          | 30
            @every 1 second            | 1
            @every 5 minutes           | 300
            @every 1 minute            | 60
            @every 1 hour              | 3600
            @every 2 hours             | 7200
            @every 1 day               | 86400
            @every 2 days              | 172800
            @every 10 mins             | 600
            @every 15m                 | 900
            @EVERY 3 Hours             | 10800
            @every 1 hour 30 minutes   | 5400
            1h30m                      | 5400
            @every 36500 days          | 3153600000
            """)
    void readsThePeriod(String expression, long seconds) {
        ScheduleExpression schedule = ScheduleExpression.parse(expression, null, Times.ANCHOR);

        assertEquals(ScheduleKind.INTERVAL, schedule.kind());
        assertEquals(expression, schedule.expression());
        assertEquals(Duration.ofSeconds(seconds), schedule.interval().orElseThrow());
        assertEquals(Times.ANCHOR.plusSeconds(seconds), schedule.nextAfter(Times.ANCHOR.minusNanos(1)).orElseThrow());
    }

    @ParameterizedTest(name = "[{index}] ''{0}'' from {1} after {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # expression   | zone             | anchor                       | after                        | next fire times
            # slots are anchor + k * period, k >= 1: the anchor itself is not one
            5m             | UTC              | 2025-01-01T00:00Z            | 2024-12-31T23:59:59.999999999Z | 2025-01-01T00:05Z 2025-01-01T00:10Z 2025-01-01T00:15Z
            5m             | UTC              | 2025-01-01T00:00Z            | 2025-01-01T00:00Z            | 2025-01-01T00:05Z 2025-01-01T00:10Z
            5m             | UTC              | 2025-01-01T00:00Z            | 2024-06-01T00:00Z            | 2025-01-01T00:05Z
            5m             | UTC              | 2025-01-01T00:00Z            | 2025-01-01T00:07:30Z         | 2025-01-01T00:10Z 2025-01-01T00:15Z
            5m             | UTC              | 2025-01-01T00:00Z            | 2025-01-01T00:10Z            | 2025-01-01T00:15Z
            5m             | UTC              | 2025-01-01T00:00Z            | 2025-01-01T00:09:59.999Z     | 2025-01-01T00:10Z
            # the spacing is kept from the anchor's own second and fraction, far from the anchor too
            @every 30 seconds | UTC           | 2025-01-01T00:00:07.250Z     | 2025-01-01T00:00:07.250Z     | 2025-01-01T00:00:37.250Z 2025-01-01T00:01:07.250Z
            @every 7 minutes | UTC            | 2025-01-01T00:00Z            | 2026-01-01T00:00Z            | 2026-01-01T00:02Z 2026-01-01T00:09Z
            2h             | UTC              | 2025-01-01T00:30Z            | 2025-01-01T00:29Z            | 2025-01-01T02:30Z 2025-01-01T04:30Z
            # real time, not wall time: 1d across spring-forward is 24 hours, so one hour later on the clock
            1d             | America/New_York | 2025-03-08T12:00-05:00       | 2025-03-08T12:00-05:00       | 2025-03-09T13:00-04:00 2025-03-10T13:00-04:00
            """)
    void firesAtAnchorPlusWholePeriods(String expression, String zone, String anchor, String after, String expected) {
        ScheduleExpression schedule = ScheduleExpression.parse(expression, zone, Times.at(anchor));
        List<OffsetDateTime> want = Times.list(expected);

        assertEquals(want, Times.inZone(schedule.next(Times.at(after), want.size()), schedule.zone()));
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @CsvSource({"30s", "@every 7 minutes", "2h", "@every 3 days"})
    void consecutiveSlotsAreExactlyOnePeriodApart(String expression) {
        ScheduleExpression schedule = ScheduleExpression.parse(expression, "Europe/Berlin", Times.ANCHOR);
        Duration period = schedule.interval().orElseThrow();
        List<Instant> slots = schedule.next(Times.ANCHOR, 500);

        assertEquals(500, slots.size());
        for (int k = 0; k < slots.size(); k++) {
            assertEquals(Times.ANCHOR.plus(period.multipliedBy(k + 1L)), slots.get(k));
        }
    }
}
