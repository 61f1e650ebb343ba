package dev.jobyard.api;

import java.io.StringReader;

import jakarta.json.Json;

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

    static JsonObject fromGraphQL(jakarta.json.JsonObject value) {
        return value == null ? null : new JsonObject(value.toString());
    }
}
