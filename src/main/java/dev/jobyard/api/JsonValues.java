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
