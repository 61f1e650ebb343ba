package dev.jobyard.schedule.expression;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CronNextFireTest {

    @ParameterizedTest(name = "[{index}] ''{0}'' in {1} after {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # expression       | zone             | after                          | next fire times, in the zone's offset
            # macros
            @yearly            | UTC              | 2025-03-01T00:00Z              | 2026-01-01T00:00Z 2027-01-01T00:00Z
            @annually          | UTC              | 2025-03-01T00:00Z              | 2026-01-01T00:00Z 2027-01-01T00:00Z
            @monthly           | UTC              | 2025-01-31T12:00Z              | 2025-02-01T00:00Z 2025-03-01T00:00Z
            @weekly            | UTC              | 2025-01-01T00:00Z              | 2025-01-05T00:00Z 2025-01-12T00:00Z
            @daily             | UTC              | 2025-01-01T00:00Z              | 2025-01-02T00:00Z 2025-01-03T00:00Z
            @midnight          | UTC              | 2024-12-31T23:59:59.999Z       | 2025-01-01T00:00Z 2025-01-02T00:00Z
            @hourly            | UTC              | 2025-01-01T10:59:59Z           | 2025-01-01T11:00Z 2025-01-01T12:00Z
            @Daily             | Europe/Berlin    | 2025-06-01T00:00+02:00         | 2025-06-02T00:00+02:00 2025-06-03T00:00+02:00
            # steps, ranges, lists, names
            */15 * * * *       | UTC              | 2025-01-01T23:50Z              | 2025-01-02T00:00Z 2025-01-02T00:15Z 2025-01-02T00:30Z
            */15 * * * *       | UTC              | 2025-01-01T10:15Z              | 2025-01-01T10:30Z 2025-01-01T10:45Z
            0 9-17 * * 1-5     | UTC              | 2025-01-03T16:30Z              | 2025-01-03T17:00Z 2025-01-06T09:00Z 2025-01-06T10:00Z
            0 */6 * * *        | UTC              | 2025-01-01T05:00Z              | 2025-01-01T06:00Z 2025-01-01T12:00Z 2025-01-01T18:00Z
            1-3,30 * * * *     | UTC              | 2025-01-01T10:02Z              | 2025-01-01T10:03Z 2025-01-01T10:30Z 2025-01-01T11:01Z
            0 0 1 */3 *        | UTC              | 2025-01-01T00:00Z              | 2025-04-01T00:00Z 2025-07-01T00:00Z 2025-10-01T00:00Z
            0 0 1 JAN *        | UTC              | 2025-01-01T00:00Z              | 2026-01-01T00:00Z
            0 8 * * mon-fri    | UTC              | 2025-01-03T09:00Z              | 2025-01-06T08:00Z 2025-01-07T08:00Z
            # Sunday is 0 and 7
            0 9 * * 0          | UTC              | 2025-01-01T00:00Z              | 2025-01-05T09:00Z 2025-01-12T09:00Z
            0 9 * * 7          | UTC              | 2025-01-01T00:00Z              | 2025-01-05T09:00Z 2025-01-12T09:00Z
            0 9 * * SUN        | UTC              | 2025-01-01T00:00Z              | 2025-01-05T09:00Z 2025-01-12T09:00Z
            0 9 * * 6-7        | UTC              | 2025-01-01T00:00Z              | 2025-01-04T09:00Z 2025-01-05T09:00Z 2025-01-11T09:00Z
            0 9 * * 5-7        | UTC              | 2025-01-01T00:00Z              | 2025-01-03T09:00Z 2025-01-04T09:00Z 2025-01-05T09:00Z 2025-01-10T09:00Z
            # day-of-month and day-of-week both restricted: either matches
            0 0 1 * 1          | UTC              | 2025-01-25T00:00Z              | 2025-01-27T00:00Z 2025-02-01T00:00Z 2025-02-03T00:00Z
            # a day field starting with '*' but stepped is restricted too: odd days OR Mondays (Vixie cron: AND, 2025-01-13 first)
            0 0 */2 * MON      | UTC              | 2025-01-01T00:00Z              | 2025-01-03T00:00Z 2025-01-05T00:00Z 2025-01-06T00:00Z 2025-01-07T00:00Z
            # month ends and leap days
            0 0 31 * *         | UTC              | 2025-01-31T00:00Z              | 2025-03-31T00:00Z 2025-05-31T00:00Z 2025-07-31T00:00Z 2025-08-31T00:00Z 2025-10-31T00:00Z
            0 0 30 * *         | UTC              | 2025-01-30T00:00Z              | 2025-03-30T00:00Z 2025-04-30T00:00Z
            0 0 29 2 *         | UTC              | 2025-03-01T00:00Z              | 2028-02-29T00:00Z 2032-02-29T00:00Z
            0 0 29 2 *         | UTC              | 2096-03-01T00:00Z              | 2104-02-29T00:00Z
            # wall-clock times in the schedule's zone
            30 8 * * *         | America/New_York | 2025-01-01T00:00-05:00         | 2025-01-01T08:30-05:00 2025-01-02T08:30-05:00
            30 8 * * *         | America/New_York | 2025-07-01T09:00-04:00         | 2025-07-02T08:30-04:00
            0 0 * * *          | Asia/Kolkata     | 2025-01-01T00:00+05:30         | 2025-01-02T00:00+05:30
            0 12 * * *         | Asia/Tokyo       | 2025-01-01T11:59:59.999+09:00  | 2025-01-01T12:00+09:00 2025-01-02T12:00+09:00
            """)
    void firesAtTheTableTimes(String expression, String zone, String after, String expected) {
        ScheduleExpression schedule = ScheduleExpression.parse(expression, zone, Times.ANCHOR);
        List<OffsetDateTime> want = Times.list(expected);

        assertEquals(ScheduleKind.CRON, schedule.kind());
        assertEquals(want, Times.inZone(schedule.next(Times.at(after), want.size()), schedule.zone()));
        assertEquals(want.get(0).toInstant(), schedule.nextAfter(Times.at(after)).orElseThrow());
    }
}
