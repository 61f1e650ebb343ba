package dev.jobyard.api.guard;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;

/**
 * Whether a GraphQL document parses. The extension parses documents itself and answers a syntax error
 * with "Unparseable input document" and no code, so documents are parsed here first and a syntax error is
 * answered with graphql-java's message (line, column, offending token). Documents that parsed are
 * remembered (a bounded set), so a client repeating its operations pays for one parse each.
 */
final class QuerySyntax {

    private static final int REMEMBERED = 2000;
    private static final Map<String, Boolean> PARSED = new ConcurrentHashMap<>();

    private QuerySyntax() {
    }

    /** The syntax error of the document, or null if it parses. */
    static String problem(String query) {
        if (PARSED.containsKey(query)) {
            return null;
        }
        try {
            Parser.parse(query);
        } catch (InvalidSyntaxException e) {
            return e.getMessage();
        } catch (RuntimeException e) {
            // The parser's own limits (tokens, nesting) end in other exceptions.
            return "Invalid syntax: " + e.getMessage();
        }
        if (PARSED.size() >= REMEMBERED) {
            PARSED.clear();
        }
        PARSED.put(query, Boolean.TRUE);
        return null;
    }
}
