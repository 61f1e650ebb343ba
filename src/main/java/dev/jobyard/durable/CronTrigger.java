package dev.jobyard.durable;

import io.vertx.core.json.JsonObject;

/**
 * A schedule that a {@link DurableHandler} declares in code: the leader keeps a schedule called {@code name}
 * with {@code expression} (any form {@code createSchedule} accepts) that creates jobs of the handler's kind with
 * {@code payload}.
 */
public record CronTrigger(String name, String expression, JsonObject payload) {

    public static CronTrigger of(String name, String expression, JsonObject payload) {
        return new CronTrigger(name, expression, payload == null ? new JsonObject() : payload);
    }
}
