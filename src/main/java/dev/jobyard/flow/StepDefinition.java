package dev.jobyard.flow;

import java.util.List;

import io.vertx.core.json.JsonObject;

/**
 * One step of a flow as stored. The overrides are null where the flow's setting applies.
 *
 * @param index the step's position in the definition; steps are kept in the order they were given
 */
public record StepDefinition(String slug, int index, StepType type, String kind, JsonObject payload,
        List<String> dependsOn, Integer maxAttempts, Integer baseDelaySeconds, Integer timeoutSeconds,
        Integer startDelaySeconds) {

    public boolean isRoot() {
        return dependsOn.isEmpty();
    }

}
