package dev.jobyard.database;

import io.vertx.core.json.EncodeException;
import io.vertx.core.json.JsonObject;

/**
 * The one rule for text that PostgreSQL cannot hold: the character U+0000 (NUL). A {@code text} value
 * cannot contain it and a {@code jsonb} value cannot contain its escape {@code \u0000}, so a handler's
 * result, error, log line or attempt output holding one would be refused, and with it every other
 * result of its batch. Every such text is stored with each U+0000 replaced by U+FFFD (the Unicode
 * replacement character, {@code �}); nothing is rejected. Everything the engine writes from a handler
 * passes through here (docs/concepts.md, "Text that PostgreSQL cannot store").
 */
public final class StorableText {

    /** What each U+0000 becomes. */
    public static final char REPLACEMENT = '\uFFFD';
    private static final String NUL_ESCAPE = "\\u0000";
    private static final String REPLACEMENT_ESCAPE = "\\ufffd";

    private StorableText() {
    }

    /** {@code text} with every U+0000 replaced; the same instance when it has none (the usual case). */
    public static String text(String text) {
        return text == null || text.indexOf('\0') < 0 ? text : text.replace('\0', REPLACEMENT);
    }

    /**
     * Encoded JSON whose strings (and keys) hold no U+0000: each {@code \u0000} escape becomes
     * {@code \ufffd}. The scan follows escapes, so an escaped backslash followed by {@code u0000} (the
     * six characters written as text) is left as it is.
     */
    public static String json(String encoded) {
        if (encoded == null || !encoded.contains(NUL_ESCAPE)) {
            return encoded;
        }
        StringBuilder out = new StringBuilder(encoded.length());
        int i = 0;
        while (i < encoded.length()) {
            char c = encoded.charAt(i);
            if (c != '\\' || i + 1 >= encoded.length()) {
                out.append(c);
                i++;
            } else if (encoded.startsWith(NUL_ESCAPE, i)) {
                out.append(REPLACEMENT_ESCAPE);
                i += NUL_ESCAPE.length();
            } else {
                // Any other escape: copy it whole, so that its second character is never read as a new escape.
                out.append(c).append(encoded.charAt(i + 1));
                i += 2;
            }
        }
        return out.toString();
    }

    /**
     * {@code value} encoded as JSON that PostgreSQL stores as {@code jsonb}; null stays null. A value that
     * cannot be encoded (one that contains itself) is an {@link EncodeException}, not an error that would
     * end the thread writing it.
     */
    public static String json(JsonObject value) {
        return value == null ? null : json(encode(value));
    }

    private static String encode(JsonObject value) {
        try {
            return value.encode();
        } catch (StackOverflowError e) {
            throw new EncodeException("the value is nested too deeply (or contains itself) to be written as JSON");
        }
    }

    /** As {@link #json(JsonObject)}, for the object a jsonb column is bound as (decoded again only when it changed). */
    public static JsonObject object(JsonObject value) {
        if (value == null) {
            return null;
        }
        String encoded = encode(value);
        String storable = json(encoded);
        return storable == encoded ? value : new JsonObject(storable);
    }
}
