package dev.jobyard.schedule.expression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScheduleExpressionTest {

    @ParameterizedTest(name = "[{index}] ''{0}'' in ''{1}''")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            # expression                 | timezone (unquoted empty is null) | kind     | expression()          | zone
            "  0 9 * * 1-5  "            | Europe/Berlin        | CRON     | 0 9 * * 1-5           | Europe/Berlin
            @daily                       |                      | CRON     | @daily                | UTC
            @hourly                      | ""                   | CRON     | @hourly               | UTC
            "*/15 * * * *"               | " America/New_York " | CRON     | */15 * * * *          | America/New_York
            5m                           | UTC                  | INTERVAL | 5m                    | UTC
            " @every 30 seconds "        | Asia/Tokyo           | INTERVAL | @every 30 seconds     | Asia/Tokyo
            @after 10 minutes            | UTC                  | ONCE     | @after 10 minutes     | UTC
            now                          | UTC                  | ONCE     | now                   | UTC
            2025-06-01T09:00:00Z         | UTC                  | ONCE     | 2025-06-01T09:00:00Z  | UTC
            @reboot                      | UTC                  | REBOOT   | @reboot               | UTC
                                         |                      | MANUAL   | manual                | UTC
            """)
    void derivesKindExpressionAndZone(String expression, String timezone, ScheduleKind kind, String normalized,
            String zone) {
        ScheduleExpression schedule = ScheduleExpression.parse(expression, timezone, Times.ANCHOR);

        assertEquals(kind, schedule.kind());
        assertEquals(normalized, schedule.expression());
        assertEquals(ZoneId.of(zone), schedule.zone());
        assertEquals(kind == ScheduleKind.INTERVAL, schedule.interval().isPresent());
    }

    @Test
    void nextStopsAtTheCountAndReturnsNothingForZero() {
        ScheduleExpression hourly = ScheduleExpression.parse("@hourly", "UTC", Times.ANCHOR);

        assertEquals(3, hourly.next(Times.ANCHOR, 3).size());
        assertEquals(List.of(), hourly.next(Times.ANCHOR, 0));
        assertThrows(IllegalArgumentException.class, () -> hourly.next(Times.ANCHOR, -1));
    }

    @Test
    void nextIsTheChainOfNextAfter() {
        ScheduleExpression schedule = ScheduleExpression.parse("*/20 9-10 * * *", "Europe/Berlin", Times.ANCHOR);
        List<Instant> times = schedule.next(Times.ANCHOR, 8);

        assertEquals(schedule.nextAfter(Times.ANCHOR).orElseThrow(), times.get(0));
        for (int i = 1; i < times.size(); i++) {
            assertEquals(schedule.nextAfter(times.get(i - 1)).orElseThrow(), times.get(i));
        }
    }

    @Test
    void theAnchorIsRequired() {
        assertThrows(NullPointerException.class, () -> ScheduleExpression.parse("@daily", "UTC", null));
    }

    @Test
    void describesItself() {
        assertTrue(ScheduleExpression.parse("@daily", "Europe/Berlin", Times.ANCHOR).toString()
                .contains("'@daily' in Europe/Berlin"));
    }
}
