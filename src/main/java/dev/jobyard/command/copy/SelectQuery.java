package dev.jobyard.command.copy;

import java.util.Locale;
import java.util.Set;

import dev.jobyard.command.Payload;

/**
 * The {@code query} of a {@code copy_to_*} job, read the way PostgreSQL's lexer reads it: comments
 * ({@code --}, nested block comments), string constants ({@code '...'}, {@code E'...'} with backslash
 * escapes), quoted identifiers and dollar quotes are skipped as units, so a {@code ;} or {@code )}
 * inside them counts for nothing. What remains must be one statement (no {@code ;}), with balanced
 * parentheses, that begins with {@code SELECT}, {@code WITH}, {@code VALUES} or {@code TABLE}. Only
 * then is it put inside {@code COPY (...) TO STDOUT}; PostgreSQL checks it again when the job runs.
 */
final class SelectQuery {

    private static final Set<String> STARTS = Set.of("SELECT", "WITH", "VALUES", "TABLE");

    private SelectQuery() {
    }

    static String check(String field, String sql) {
        int depth = 0;
        String first = null;
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                i = lineEnd(sql, i);
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                i = blockCommentEnd(field, sql, i);
            } else if (c == '\'') {
                i = quotedEnd(field, sql, i, '\'', backslashEscapes(sql, i));
            } else if (c == '"') {
                i = quotedEnd(field, sql, i, '"', false);
            } else if (c == '$' && dollarTag(sql, i) != null) {
                String tag = dollarTag(sql, i);
                int close = sql.indexOf(tag, i + tag.length());
                if (close < 0) {
                    throw Payload.bad(field, "has an unterminated dollar-quoted string " + tag);
                }
                i = close + tag.length();
            } else if (c == '(') {
                depth++;
                i++;
            } else if (c == ')') {
                if (--depth < 0) {
                    throw Payload.bad(field, "has a ')' without its '('");
                }
                i++;
            } else if (c == ';') {
                throw Payload.bad(field, "must be one statement: ';' is not allowed outside strings and comments");
            } else if (Character.isLetter(c) || c == '_') {
                int end = i;
                while (end < n && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_' || sql.charAt(end) == '$')) {
                    end++;
                }
                if (first == null) {
                    first = sql.substring(i, end).toUpperCase(Locale.ROOT);
                }
                i = end;
            } else {
                i++;
            }
        }
        if (depth != 0) {
            throw Payload.bad(field, "has " + depth + " '(' without their ')'");
        }
        if (first == null || !STARTS.contains(first)) {
            throw Payload.bad(field, "must be a query (SELECT, WITH, VALUES or TABLE), got " + (first == null ? "nothing" : first));
        }
        return sql;
    }

    /** E'...' (also e'...'): backslash escapes, unlike standard strings; U&'...', B'...' and X'...' have none. */
    private static boolean backslashEscapes(String sql, int quote) {
        if (quote == 0 || Character.toUpperCase(sql.charAt(quote - 1)) != 'E') {
            return false;
        }
        return quote == 1 || !(Character.isLetterOrDigit(sql.charAt(quote - 2)) || sql.charAt(quote - 2) == '_');
    }

    private static int lineEnd(String sql, int i) {
        int end = i;
        while (end < sql.length() && sql.charAt(end) != '\n' && sql.charAt(end) != '\r') {
            end++;
        }
        return end;
    }

    private static int blockCommentEnd(String field, String sql, int i) {
        int nesting = 0;
        int at = i;
        while (at < sql.length() - 1) {
            if (sql.charAt(at) == '/' && sql.charAt(at + 1) == '*') {
                nesting++;
                at += 2;
            } else if (sql.charAt(at) == '*' && sql.charAt(at + 1) == '/') {
                at += 2;
                if (--nesting == 0) {
                    return at;
                }
            } else {
                at++;
            }
        }
        throw Payload.bad(field, "has an unterminated /* comment");
    }

    private static int quotedEnd(String field, String sql, int i, char quote, boolean backslashes) {
        int at = i + 1;
        while (at < sql.length()) {
            char c = sql.charAt(at);
            if (backslashes && c == '\\') {
                at += 2;
            } else if (c == quote) {
                if (at + 1 < sql.length() && sql.charAt(at + 1) == quote) {
                    at += 2;
                } else {
                    return at + 1;
                }
            } else {
                at++;
            }
        }
        throw Payload.bad(field, "has an unterminated " + (quote == '"' ? "quoted identifier" : "string"));
    }

    /** {@code $tag$} or {@code $$} starting at i; null for a parameter ({@code $1}) or a lone '$'. */
    private static String dollarTag(String sql, int i) {
        if (i > 0 && (Character.isLetterOrDigit(sql.charAt(i - 1)) || sql.charAt(i - 1) == '_')) {
            // Part of an identifier such as a$b: not a quote.
            return null;
        }
        int at = i + 1;
        if (at < sql.length() && Character.isDigit(sql.charAt(at))) {
            return null;
        }
        while (at < sql.length() && (Character.isLetterOrDigit(sql.charAt(at)) || sql.charAt(at) == '_')) {
            at++;
        }
        return at < sql.length() && sql.charAt(at) == '$' ? sql.substring(i, at + 1) : null;
    }
}
