package dev.jobyard.schedule.expression;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import dev.jobyard.common.BadInputException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses 5-field cron expressions and the {@code @daily}-style macros with cron-utils' UNIX definition
 * (0 and 7 are Sunday, names JAN-DEC and SUN-SAT, no seconds, no L/W/#), and turns its errors into messages that
 * name the field at fault. cron-utils reports "Value 61 not in range [0, 59]" without saying which field; the field
 * is found by parsing each one alone against '*' in the other four.
 */
final class CronSyntax {

    static final String HINT = "expected a 5-field cron expression (minute hour day-of-month month day-of-week),"
            + " a macro such as @daily, an interval such as 5m or '@every 5 minutes', '@after 10 minutes', 'now',"
            + " an ISO-8601 timestamp, '@reboot' or 'manual'";

    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final String[] FIELDS = {"minute", "hour", "day-of-month", "month", "day-of-week"};
    private static final Map<String, String> MACROS = new LinkedHashMap<>();

    static {
        MACROS.put("@yearly", "0 0 1 1 *");
        MACROS.put("@annually", "0 0 1 1 *");
        MACROS.put("@monthly", "0 0 1 * *");
        MACROS.put("@weekly", "0 0 * * 0");
        MACROS.put("@daily", "0 0 * * *");
        MACROS.put("@midnight", "0 0 * * *");
        MACROS.put("@hourly", "0 * * * *");
    }

    private static final Pattern VALUE_OUT_OF_RANGE = Pattern.compile("Value (\\S+) not in range \\[(-?\\d+), (-?\\d+)\\]");
    private static final Pattern STEP_OUT_OF_RANGE = Pattern.compile("Period (\\S+) not in range \\[(-?\\d+), (-?\\d+)\\]");
    private static final Pattern INVALID_CHARS = Pattern.compile("Invalid chars in expression!.*Invalid chars:(.*)$");
    private static final String LIBRARY_PREFIX = "Failed to parse cron expression. ";

    private CronSyntax() {
    }

    /** {@code text} starts with '@' and is not one of the other @-forms. */
    static Cron macro(String text) {
        String cron = MACROS.get(text.toLowerCase(Locale.ROOT));
        if (cron == null) {
            throw bad("unknown macro '" + text + "'; use one of " + String.join(", ", MACROS.keySet())
                    + ", '@every <duration>', '@after <duration>' or '@reboot'");
        }
        return PARSER.parse(cron);
    }

    static Cron parse(String text) {
        String[] fields = text.split("\\s+");
        if (fields.length == 1) {
            throw bad("'" + text + "' is not a schedule: " + HINT);
        }
        if (fields.length != FIELDS.length) {
            throw bad("a cron expression has 5 fields (minute hour day-of-month month day-of-week), '" + text
                    + "' has " + fields.length);
        }
        try {
            return parseValid(String.join(" ", fields));
        } catch (RuntimeException e) {
            // Any failure of the library on this text is a problem with the text: report it as bad input, not a 500.
            throw explain(text, fields, e);
        }
    }

    private static Cron parseValid(String expression) {
        Cron cron = PARSER.parse(expression);
        cron.validate();
        return cron;
    }

    private static BadInputException explain(String text, String[] fields, RuntimeException whole) {
        for (int i = 0; i < fields.length; i++) {
            String[] probe = new String[fields.length];
            Arrays.fill(probe, "*");
            probe[i] = fields[i];
            try {
                parseValid(String.join(" ", probe));
            } catch (RuntimeException e) {
                return bad(describe(i, fields[i], detail(e)));
            }
        }
        return bad("'" + text + "' is not a valid cron expression: " + detail(whole));
    }

    private static String describe(int index, String token, String detail) {
        String field = FIELDS[index] + " field '" + token + "'";
        Matcher value = VALUE_OUT_OF_RANGE.matcher(detail);
        if (value.find()) {
            String range = value.group(2) + "-" + value.group(3);
            return token.equals(value.group(1))
                    ? field + " is out of range " + range
                    : field + " has value " + value.group(1) + ", out of range " + range;
        }
        Matcher step = STEP_OUT_OF_RANGE.matcher(detail);
        if (step.find()) {
            return field + " has step " + step.group(1) + "; a step must be between 1 and " + step.group(3);
        }
        Matcher chars = INVALID_CHARS.matcher(detail);
        if (chars.find()) {
            // cron-utils names no invalid character when every character is a digit but the number overflows.
            return chars.group(1).isBlank()
                    ? field + " has a number that is far out of range"
                    : field + " is not valid: use numbers, '*', ',', '-' and '/'" + namesHint(index);
        }
        if (detail.contains("Invalid range")) {
            return field + " has a range whose start is after its end";
        }
        return field + " is not valid: " + detail;
    }

    private static String namesHint(int index) {
        return switch (FIELDS[index]) {
            case "month" -> ", or names JAN-DEC";
            case "day-of-week" -> ", or names SUN-SAT";
            default -> "";
        };
    }

    private static String detail(RuntimeException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.startsWith(LIBRARY_PREFIX) ? message.substring(LIBRARY_PREFIX.length()) : message;
    }

    private static BadInputException bad(String problem) {
        return new BadInputException("schedule", problem);
    }
}
