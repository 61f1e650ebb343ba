package dev.jobyard.job;

import java.nio.charset.StandardCharsets;

import dev.jobyard.common.BadInputException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The rules every text a caller gives must keep: a length limit, and no NUL character, which PostgreSQL
 * cannot store in text or jsonb (it would fail the whole statement). JSON is measured in UTF-8 bytes.
 */
final class Texts {

    private Texts() {
    }

    /** {@code setting} names the limit's key in the message, or is null for a fixed limit. */
    static void check(String field, String text, int maxChars, String setting) {
        if (text == null) {
            return;
        }
        if (text.length() > maxChars) {
            throw new BadInputException(field, "must be at most " + maxChars + " characters"
                    + (setting == null ? "" : " (" + setting + ")") + ", got " + text.length());
        }
        if (text.indexOf('\0') >= 0) {
            throw new BadInputException(field, "must not contain the NUL character (U+0000)");
        }
    }

    static void checkJson(String field, JsonObject json, int maxBytes, String setting) {
        int bytes = json.encode().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxBytes) {
            throw new BadInputException(field, "is " + bytes + " bytes; the limit is " + maxBytes + " (" + setting + ")");
        }
        noNul(field, json);
    }

    private static void noNul(String field, Object value) {
        if (value instanceof String text && text.indexOf('\0') >= 0) {
            throw new BadInputException(field, "must not contain the NUL character (U+0000)");
        } else if (value instanceof JsonObject object) {
            for (var entry : object) {
                noNul(field, entry.getKey());
                noNul(field + "." + entry.getKey(), entry.getValue());
            }
        } else if (value instanceof JsonArray array) {
            for (int i = 0; i < array.size(); i++) {
                noNul(field + "[" + i + "]", array.getValue(i));
            }
        }
    }
}
