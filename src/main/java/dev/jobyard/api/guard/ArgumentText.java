package dev.jobyard.api.guard;

import java.util.List;
import java.util.Map;

import dev.jobyard.common.BadInputException;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;

/**
 * Every text in every argument, before any resolver sees it: no NUL character (PostgreSQL cannot store
 * one in text or jsonb), and no plain string longer than {@code jobyard.api.max-text-length}. Strings inside
 * JSON values are only checked for NUL: payload and labels have limits of their own, in bytes.
 */
final class ArgumentText {

    private ArgumentText() {
    }

    static void check(Map<String, Object> arguments, int maxLength) {
        for (Map.Entry<String, Object> argument : arguments.entrySet()) {
            check(argument.getKey(), argument.getValue(), maxLength);
        }
    }

    private static void check(String at, Object value, int maxLength) {
        if (value instanceof String text) {
            noNul(at, text);
            if (text.length() > maxLength) {
                throw new BadInputException(at, "must be at most " + maxLength + " characters (jobyard.api.max-text-length), got "
                        + text.length());
            }
        } else if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                check(at + "." + entry.getKey(), entry.getValue(), maxLength);
            }
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                check(at + "[" + i + "]", list.get(i), maxLength);
            }
        } else if (value instanceof jakarta.json.JsonValue json) {
            checkJson(at, json);
        }
    }

    private static void checkJson(String at, jakarta.json.JsonValue value) {
        if (value instanceof JsonString text) {
            noNul(at, text.getString());
        } else if (value instanceof JsonObject object) {
            for (Map.Entry<String, jakarta.json.JsonValue> entry : object.entrySet()) {
                noNul(at, entry.getKey());
                checkJson(at + "." + entry.getKey(), entry.getValue());
            }
        } else if (value instanceof JsonArray array) {
            for (int i = 0; i < array.size(); i++) {
                checkJson(at + "[" + i + "]", array.get(i));
            }
        }
    }

    private static void noNul(String at, String text) {
        if (text.indexOf('\0') >= 0) {
            throw new BadInputException(at, "must not contain the NUL character (U+0000)");
        }
    }
}
