package dev.jobyard.durable.store;

import java.time.OffsetDateTime;

import io.vertx.core.json.Json;

/** A result saved under a key: {@code result} is JSON text (null for SQL NULL); {@code timedOut} for a wait that gave up. */
public record Saved(String key, String type, String result, boolean timedOut, OffsetDateTime at) {

    /** The result as a JSON value (JsonObject, JsonArray, String, Number, Boolean or null). */
    public Object value() {
        return result == null ? null : Json.decodeValue(result);
    }
}
