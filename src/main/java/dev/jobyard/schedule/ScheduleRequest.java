package dev.jobyard.schedule;

import io.vertx.core.json.JsonObject;

/**
 * A schedule as a caller describes it, before validation. On update, a null field keeps the stored value.
 * {@code schedule} is the expression; null on create means manual.
 */
public record ScheduleRequest(String name, String description, String schedule, String timezone, String jobKind,
        JsonObject payload, String queue, Integer priority, Integer maxAttempts, Integer timeoutSeconds,
        Integer maxInstances, Boolean selfDestruct, Boolean exclusive, MisfirePolicy misfirePolicy) {
}
