package dev.jobyard.flow.run;

import java.util.Map;

import dev.jobyard.flow.StepDefinition;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What a task's job receives as its payload (an object, as every job payload is, whatever JSON the run's
 * input and the outputs are): a single step gets {@code {"run": <input>, "<dep>": <dep's output>, …}} for
 * its direct dependencies; task i of a map step gets {@code {"input": <element i>, "index": i}}. The
 * step's static payload fields stand beside them (validation keeps the keys apart).
 */
final class TaskInputs {

    private TaskInputs() {
    }

    static JsonObject single(StepDefinition step, Object runInput, Map<String, Object> depOutputs) {
        JsonObject payload = step.payload().copy();
        payload.put("run", runInput);
        for (String dep : step.dependsOn()) {
            payload.put(dep, depOutputs.get(dep));
        }
        return payload;
    }

    static JsonObject element(StepDefinition step, JsonArray array, int index) {
        return step.payload().copy().put("input", array.getValue(index)).put("index", index);
    }

    /** A stored JSON text as a value JsonObject.put takes: object, array, string, number, boolean or null. */
    static Object decode(String json) {
        return json == null ? null : Json.decodeValue(json);
    }

    /** The JSON type's name of a decoded value, as an error names what a map step got instead of an array. */
    static String typeOf(Object value) {
        if (value == null) {
            return "null";
        } else if (value instanceof JsonObject) {
            return "object";
        } else if (value instanceof JsonArray) {
            return "array";
        } else if (value instanceof String) {
            return "string";
        } else if (value instanceof Boolean) {
            return "boolean";
        }
        return "number";
    }
}
