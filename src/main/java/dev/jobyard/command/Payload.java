package dev.jobyard.command;

import java.util.ArrayList;
import java.util.List;

import dev.jobyard.common.BadInputException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Typed reads of a command's payload; a wrong or missing field is a BAD_USER_INPUT naming {@code payload.<field>}. */
public final class Payload {

    private final JsonObject json;

    private Payload(JsonObject json) {
        this.json = json == null ? new JsonObject() : json;
    }

    public static Payload of(JsonObject json) {
        return new Payload(json);
    }

    public JsonObject json() {
        return json;
    }

    public static BadInputException bad(String field, String problem) {
        return new BadInputException("payload." + field, problem);
    }

    public String requiredString(String field) {
        String value = optionalString(field);
        if (value == null || value.isBlank()) {
            throw bad(field, "is required");
        }
        return value;
    }

    public String optionalString(String field) {
        Object value = json.getValue(field);
        if (value != null && !(value instanceof String)) {
            throw bad(field, "must be a string, got " + value);
        }
        return (String) value;
    }

    public List<String> strings(String field) {
        Object value = json.getValue(field);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof JsonArray array)) {
            throw bad(field, "must be an array of strings, got " + value);
        }
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (!(array.getValue(i) instanceof String s)) {
                throw bad(field + "[" + i + "]", "must be a string, got " + array.getValue(i));
            }
            strings.add(s);
        }
        return strings;
    }

    public JsonArray array(String field) {
        Object value = json.getValue(field);
        if (value != null && !(value instanceof JsonArray)) {
            throw bad(field, "must be an array, got " + value);
        }
        return value == null ? new JsonArray() : (JsonArray) value;
    }

    public JsonObject object(String field) {
        Object value = json.getValue(field);
        if (value != null && !(value instanceof JsonObject)) {
            throw bad(field, "must be an object, got " + value);
        }
        return value == null ? new JsonObject() : (JsonObject) value;
    }

    public int integer(String field, int defaultValue, int min, int max) {
        Object value = json.getValue(field);
        if (value == null) {
            return defaultValue;
        }
        if (!(value instanceof Number n) || n.doubleValue() != n.longValue() || n.longValue() < min || n.longValue() > max) {
            throw bad(field, "must be a whole number from " + min + " to " + max + ", got " + value);
        }
        return n.intValue();
    }
}
