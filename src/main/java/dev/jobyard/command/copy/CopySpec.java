package dev.jobyard.command.copy;

import java.util.regex.Pattern;

import dev.jobyard.command.Payload;
import io.vertx.core.json.JsonObject;

/** The {@code sql} of a COPY command: a COPY statement in the direction the kind streams. */
final class CopySpec {

    private static final Pattern FROM_STDIN = Pattern.compile("(?is)\\s*COPY\\s.+\\sFROM\\s+STDIN\\b.*");
    private static final Pattern TO_STDOUT = Pattern.compile("(?is)\\s*COPY\\s.+\\sTO\\s+STDOUT\\b.*");

    private CopySpec() {
    }

    static String copyIn(JsonObject json) {
        return check(json, FROM_STDIN, "COPY <table> [(columns)] FROM STDIN [WITH (...)]");
    }

    static String copyOut(JsonObject json) {
        return check(json, TO_STDOUT, "COPY <table or (query)> TO STDOUT [WITH (...)]");
    }

    private static String check(JsonObject json, Pattern pattern, String shape) {
        String sql = Payload.of(json).requiredString("sql");
        if (!pattern.matcher(sql).matches()) {
            throw Payload.bad("sql", "must be " + shape + ", got '" + sql + "'");
        }
        return sql;
    }
}
