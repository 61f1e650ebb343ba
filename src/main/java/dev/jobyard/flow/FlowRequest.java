package dev.jobyard.flow;

import java.util.List;

import io.vertx.core.json.JsonObject;

/** A flow as a caller asks for it, unchecked; nulls take the defaults. */
public record FlowRequest(String slug, String description, String queue, Integer maxAttempts,
        Integer baseDelaySeconds, Integer timeoutSeconds, List<Step> steps) {

    /** {@code payload} is null when not given; {@code type} and {@code kind} are required. */
    public record Step(String slug, StepType type, String kind, JsonObject payload, List<String> dependsOn,
            Integer maxAttempts, Integer baseDelaySeconds, Integer timeoutSeconds, Integer startDelaySeconds) {
    }
}
