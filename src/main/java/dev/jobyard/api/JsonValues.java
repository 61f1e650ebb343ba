package dev.jobyard.api;

import java.io.StringReader;

import jakarta.json.Json;

import dev.jobyard.common.BadInputException;
import io.vertx.core.json.JsonObject;

/** Between the GraphQL JSON scalar (jakarta.json) and the engine's Vert.x JSON. */
final class JsonValues {

    private JsonValues() {
    }

    static jakarta.json.JsonObject toGraphQL(JsonObject value) {
        if (value == null) {
            return null;
        }
        try (var reader = Json.createReader(new StringReader(value.encode()))) {
            return reader.readObject();
        }
    }

    /** Stored JSON text of any value (object, array, string, number, boolean, null) for a JSON field; null stays null. */
    static jakarta.json.JsonValue anyToGraphQL(String json) {
        if (json == null) {
            return null;
        }
        try (var reader = Json.createReader(new StringReader(json))) {
            return reader.readValue();
        }
    }

    /** A JSON argument of any type as text; an absent one is JSON null. */
    static String anyText(jakarta.json.JsonValue value) {
        return value == null ? "null" : value.toString();
    }

    /**
     * A JSON argument that must be an object: the JSON scalar takes any JSON value, so that an array or a
     * string reaches the resolver and is refused naming its field, not by the scalar without a code.
     */
    static JsonObject objectOf(String field, jakarta.json.JsonValue value) {
        if (value == null || value.getValueType() == jakarta.json.JsonValue.ValueType.NULL) {
            return null;
        }
        if (value.getValueType() != jakarta.json.JsonValue.ValueType.OBJECT) {
            throw new BadInputException(field, "must be a JSON object, got " + value.getValueType().name().toLowerCase(java.util.Locale.ROOT));
        }
        return new JsonObject(value.toString());
    }
}
