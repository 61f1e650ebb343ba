package dev.jobyard.chain.definition;

import java.util.List;

import io.vertx.core.json.JsonObject;

/**
 * A task to store. {@code parameters}: one element (Vert.x JSON: JsonArray, JsonObject, or a plain value)
 * per execution; null or empty runs the task once. {@code order} null puts it after the others.
 */
public record TaskRequest(Double order, String name, String kind, String command, JsonObject payload,
        List<Object> parameters, Boolean ignoreError, Boolean autonomous, Integer timeoutSeconds) {
}
