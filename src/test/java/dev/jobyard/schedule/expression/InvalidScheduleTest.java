package dev.jobyard.schedule.expression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jobyard.common.BadInputException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InvalidScheduleTest {

    @ParameterizedTest(name = "[{index}] ''{0}'' in ''{1}''")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            # expression               | timezone       | message: the field, then what is wrong and why
            # cron fields, named by position
            61 * * * *                 | UTC            | schedule: minute field '61' is out of range 0-59
            0 24 * * *                 | UTC            | schedule: hour field '24' is out of range 0-23
            0 0 32 * *                 | UTC            | schedule: day-of-month field '32' is out of range 1-31
            0 0 0 * *                  | UTC            | schedule: day-of-month field '0' is out of range 1-31
            0 0 * 13 *                 | UTC            | schedule: month field '13' is out of range 1-12
            0 0 * * 8                  | UTC            | schedule: day-of-week field '8' is out of range 0-7
            1,61 * * * *               | UTC            | schedule: minute field '1,61' has value 61, out of range 0-59
            */0 * * * *                | UTC            | schedule: minute field '*/0' has step 0; a step must be between 1 and 59
            5-2 * * * *                | UTC            | schedule: minute field '5-2' has a range whose start is after its end
            0 0 * foo *                | UTC            | schedule: month field 'foo' is not valid: use numbers, '*', ',', '-' and '/', or names JAN-DEC
            0 0 * * MONDAY             | UTC            | schedule: day-of-week field 'MONDAY' is not valid: use numbers, '*', ',', '-' and '/', or names SUN-SAT
            0 0 L * *                  | UTC            | schedule: day-of-month field 'L' is not valid: use numbers, '*', ',', '-' and '/'
            0 x * * *                  | UTC            | schedule: hour field 'x' is not valid: use numbers, '*', ',', '-' and '/'
            99999999999 * * * *        | UTC            | schedule: minute field '99999999999' has a number that is far out of range
            0 0 * * * *                | UTC            | schedule: a cron expression has 5 fields (minute hour day-of-month month day-of-week), '0 0 * * * *' has 6
            * * * *                    | UTC            | schedule: a cron expression has 5 fields (minute hour day-of-month month day-of-week), '* * * *' has 4
            0 0 30 2 *                 | UTC            | schedule: '0 0 30 2 *' never fires: its day-of-month does not occur in any of its months
            0 0 31 4,6,9,11 *          | UTC            | schedule: '0 0 31 4,6,9,11 *' never fires: its day-of-month does not occur in any of its months
            # macros and other words
            @fortnightly               | UTC            | schedule: unknown macro '@fortnightly'; use one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly, '@every <duration>', '@after <duration>' or '@reboot'
            garbage                    | UTC            | schedule: 'garbage' is not a schedule: expected a 5-field cron expression (minute hour day-of-month month day-of-week), a macro such as @daily, an interval such as 5m or '@every 5 minutes', '@after 10 minutes', 'now', an ISO-8601 timestamp, '@reboot' or 'manual'
            # intervals and delays
            @every 0 seconds           | UTC            | schedule: interval '@every 0 seconds' must be at least 1 second
            0s                         | UTC            | schedule: interval '0s' must be at least 1 second
            @every 5 fortnights        | UTC            | schedule: unknown unit 'fortnights' in '@every 5 fortnights'; use seconds, minutes, hours or days (s, m, h, d)
            5x                         | UTC            | schedule: unknown unit 'x' in '5x'; use seconds, minutes, hours or days (s, m, h, d)
            @every                     | UTC            | schedule: '@every' needs a duration, e.g. '@every 5 minutes'
            @every 1.5 hours           | UTC            | schedule: '@every 1.5 hours' is not a duration: expected a whole number and a unit, e.g. '5 minutes' or '5m'
            @every -5 minutes          | UTC            | schedule: '@every -5 minutes' is not a duration: expected a whole number and a unit, e.g. '5 minutes' or '5m'
            @every 36501 days          | UTC            | schedule: interval '@every 36501 days' is longer than the maximum of 36500 days
            @every 99999999999999999999 s | UTC         | schedule: interval '@every 99999999999999999999 s' is longer than the maximum of 36500 days
            @after 0 minutes           | UTC            | schedule: delay '@after 0 minutes' must be at least 1 second
            @after 2 weeks             | UTC            | schedule: unknown unit 'weeks' in '@after 2 weeks'; use seconds, minutes, hours or days (s, m, h, d)
            # timestamps
            2025-13-01T00:00:00Z       | UTC            | schedule: '2025-13-01T00:00:00Z' is not a valid ISO-8601 timestamp (Invalid value for MonthOfYear (valid values 1 - 12): 13); expected e.g. '2025-06-01T09:00:00Z', '2025-06-01T09:00:00+02:00' or '2025-06-01T09:00' in the schedule's time zone
            2025-02-30                 | UTC            | schedule: '2025-02-30' is not a valid ISO-8601 timestamp (Invalid date 'FEBRUARY 30'); expected e.g. '2025-06-01T09:00:00Z', '2025-06-01T09:00:00+02:00' or '2025-06-01T09:00' in the schedule's time zone
            # time zones
            @daily                     | Mars/Base      | timezone: 'Mars/Base' is not an IANA time zone (use a name such as 'Europe/Berlin' or 'America/New_York')
            @daily                     | europe/berlin  | timezone: 'europe/berlin' is not an IANA time zone; did you mean 'Europe/Berlin'?
            @daily                     | +02:00         | timezone: '+02:00' is not an IANA time zone (use a name such as 'Europe/Berlin' or 'America/New_York')
            garbage                    | Mars/Base      | timezone: 'Mars/Base' is not an IANA time zone (use a name such as 'Europe/Berlin' or 'America/New_York')
            """)
    void isRejectedWithAMessageNamingTheField(String expression, String timezone, String message) {
        BadInputException error = assertThrows(BadInputException.class,
                () -> ScheduleExpression.parse(expression, timezone, Times.ANCHOR));

        assertEquals(message, error.getMessage());
        assertEquals("BAD_USER_INPUT", error.code());
    }
}
