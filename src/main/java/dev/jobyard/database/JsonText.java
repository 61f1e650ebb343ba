package dev.jobyard.database;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Reads jsonb columns that the hot statements select as text. The PostgreSQL client would decode every
 * jsonb value with a new Jackson parser; most of ours are empty ({@code {}} payloads and labels, {@code []}
 * dependencies and errors), and those need no parser at all.
 */
public final class JsonText {

    private JsonText() {
    }

    /** An object; a JSON value that is not an object (a handler's result may be any) comes as {@code {"value": …}}. */
    public static JsonObject object(String text) {
        if (text == null) {
            return null;
        }
        if (text.equals("{}")) {
            return new JsonObject();
        }
        Object value = Json.decodeValue(text);
        if (value == null) {
            return null;
        }
        return value instanceof JsonObject json ? json : new JsonObject().put("value", value);
    }

    public static JsonArray array(String text) {
        if (text == null) {
            return null;
        }
        return text.equals("[]") ? new JsonArray() : new JsonArray(text);
    }
}
