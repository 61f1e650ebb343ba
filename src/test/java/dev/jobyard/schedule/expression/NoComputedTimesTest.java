package dev.jobyard.schedule.expression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NoComputedTimesTest {

    @ParameterizedTest(name = "[{index}] ''{0}'' is {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            # expression (unquoted empty is null) | kind   | expression()
                                                  | MANUAL | manual
            ""                                    | MANUAL | manual
            "   "                                 | MANUAL | manual
            manual                                | MANUAL | manual
            " Manual "                            | MANUAL | manual
            MANUAL                                | MANUAL | manual
            @reboot                               | REBOOT | @reboot
            " @REBOOT "                           | REBOOT | @REBOOT
            """)
    void hasNoFireTimes(String expression, ScheduleKind kind, String normalized) {
        ScheduleExpression schedule = ScheduleExpression.parse(expression, "Europe/Berlin", Times.ANCHOR);

        assertEquals(kind, schedule.kind());
        assertEquals(normalized, schedule.expression());
        assertTrue(schedule.nextAfter(Times.ANCHOR.minusNanos(1)).isEmpty());
        assertTrue(schedule.next(Times.ANCHOR.minusNanos(1), 10).isEmpty());
        assertTrue(schedule.interval().isEmpty());
    }
}
