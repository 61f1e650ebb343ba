package dev.jobyard.api.guard;

/**
 * How deeply objects and arrays nest in a JSON text, found by one pass over its characters. It runs before
 * any parser sees the text, since the parsers and the code after them recurse once per level and a deep
 * enough text overflows the stack of the event loop.
 */
final class JsonNesting {

    private JsonNesting() {
    }

    /** Whether the text's objects and arrays nest deeper than {@code max}; stops reading at the first level too deep. */
    static boolean deeperThan(CharSequence text, int max) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                if (++depth > max) {
                    return true;
                }
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
        return false;
    }
}
