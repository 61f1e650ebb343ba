package dev.jobyard.command.copy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import dev.jobyard.command.Payload;
import io.vertx.core.json.JsonObject;

/**
 * The COPY statement of a copy job, built here from structured fields, never taken from the payload:
 * {@code table} (with {@code columns}) or, for {@code copy_to_*}, {@code query} (one read-only query,
 * see {@link SelectQuery}), and the COPY options {@code format}, {@code header}, {@code delimiter},
 * {@code null}, {@code quote}, {@code escape}, {@code encoding}. Names become quoted identifiers and
 * option values string constants, so no field can add a statement, a {@code PROGRAM} or a server file.
 */
record CopySpec(String statement, String query) {

    private static final Set<String> FORMATS = Set.of("text", "csv", "binary");
    private static final Pattern ENCODING = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    /** {@code COPY <table> [(columns)] FROM STDIN WITH (...)}. */
    static CopySpec copyIn(JsonObject json) {
        Payload payload = Payload.of(json);
        refuseSql(payload);
        if (json.containsKey("query")) {
            throw Payload.bad("query", "a copy into the database takes a table, not a query");
        }
        return new CopySpec("COPY " + target(payload) + " FROM STDIN" + options(payload), null);
    }

    /** {@code COPY <table> [(columns)] TO STDOUT WITH (...)} or {@code COPY (<query>) TO STDOUT WITH (...)}. */
    static CopySpec copyOut(JsonObject json) {
        Payload payload = Payload.of(json);
        refuseSql(payload);
        String query = payload.optionalString("query");
        if (query != null && (json.containsKey("table") || json.containsKey("columns"))) {
            throw Payload.bad("query", "give table (and columns) or query, not both");
        }
        if (query == null) {
            return new CopySpec("COPY " + target(payload) + " TO STDOUT" + options(payload), null);
        }
        SelectQuery.check("query", query);
        // Newlines: a trailing -- comment in the query ends before the closing parenthesis.
        return new CopySpec("COPY (\n" + query + "\n) TO STDOUT" + options(payload), query);
    }

    private static void refuseSql(Payload payload) {
        if (payload.json().containsKey("sql")) {
            throw Payload.bad("sql", "a copy job does not take a COPY statement; give table (and columns)"
                    + " or, to copy out, query, and the options format, header, delimiter, null, quote, escape, encoding");
        }
    }

    private static String target(Payload payload) {
        String table = payload.requiredString("table");
        String[] parts = table.split("\\.", -1);
        if (parts.length > 2) {
            throw Payload.bad("table", "must be <name> or <schema>.<name>, got '" + table + "'");
        }
        List<String> quoted = new ArrayList<>();
        for (String part : parts) {
            quoted.add(identifier("table", part));
        }
        StringBuilder target = new StringBuilder(String.join(".", quoted));
        List<String> columns = payload.strings("columns");
        if (!columns.isEmpty()) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                names.add(identifier("columns[" + i + "]", columns.get(i)));
            }
            target.append(" (").append(String.join(", ", names)).append(')');
        }
        return target.toString();
    }

    /** A name as a quoted identifier: taken exactly as written (case included), any character but NUL. */
    private static String identifier(String field, String name) {
        if (name.isEmpty() || name.length() > 63 || name.indexOf('\0') >= 0) {
            throw Payload.bad(field, "must be a name of 1 to 63 characters, got '" + name + "'");
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    private static String options(Payload payload) {
        List<String> options = new ArrayList<>();
        String format = payload.optionalString("format");
        if (format != null) {
            if (!FORMATS.contains(format)) {
                throw Payload.bad("format", "must be one of " + FORMATS + ", got '" + format + "'");
            }
            options.add("FORMAT " + format);
        }
        Object header = payload.json().getValue("header");
        if (header != null) {
            if (!(header instanceof Boolean)) {
                throw Payload.bad("header", "must be true or false, got " + header);
            }
            options.add("HEADER " + header);
        }
        oneCharacter(payload, "delimiter", "DELIMITER", options);
        oneCharacter(payload, "quote", "QUOTE", options);
        oneCharacter(payload, "escape", "ESCAPE", options);
        String nullText = payload.optionalString("null");
        if (nullText != null) {
            options.add("NULL " + literal("null", nullText));
        }
        String encoding = payload.optionalString("encoding");
        if (encoding != null) {
            if (!ENCODING.matcher(encoding).matches()) {
                throw Payload.bad("encoding", "must be an encoding name such as UTF8 or LATIN1, got '" + encoding + "'");
            }
            options.add("ENCODING " + literal("encoding", encoding));
        }
        return options.isEmpty() ? "" : " WITH (" + String.join(", ", options) + ")";
    }

    private static void oneCharacter(Payload payload, String field, String option, List<String> options) {
        String value = payload.optionalString(field);
        if (value != null) {
            if (value.length() != 1) {
                throw Payload.bad(field, "must be one character, got '" + value + "'");
            }
            options.add(option + " " + literal(field, value));
        }
    }

    /** An escape string constant, the same whatever standard_conforming_strings says. */
    private static String literal(String field, String value) {
        if (value.indexOf('\0') >= 0) {
            throw Payload.bad(field, "may not contain NUL");
        }
        return "E'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
