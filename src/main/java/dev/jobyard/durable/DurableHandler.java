package dev.jobyard.durable;

import java.util.List;

import dev.jobyard.handler.JobContext;
import dev.jobyard.handler.JobHandler;
import io.quarkus.arc.Arc;
import io.vertx.core.json.JsonObject;

/**
 * The SPI of a durable task: a CDI bean per kind, like any {@link JobHandler}, whose {@link #run} is replayed
 * from the top after every wake-up. Code between the context's primitives must be deterministic: on replay it
 * must reach the same keys in the same order (docs/durable.md shows what goes wrong otherwise).
 */
public interface DurableHandler extends JobHandler {

    /**
     * The task's code. Returns the job's result: a {@link JsonObject} as it is, another JSON value as
     * {@code {"value": v}}, null for none. Throwing fails the attempt (retried while attempts remain; saved
     * steps are not run again).
     */
    Object run(DurableContext context) throws Exception;

    /**
     * Cron triggers declared in code: the leader creates (or updates) a schedule for each at start-up, so they
     * fire this kind whether or not a replica with this code is up, and survive restarts.
     */
    default List<CronTrigger> triggers() {
        return List.of();
    }

    /** Every durable task belongs to the durable owner, which cleans up its waits and children however it ends. */
    @Override
    default String owner() {
        return dev.jobyard.durable.wake.DurableOwner.NAME;
    }

    /** Runs one attempt by replay; not meant to be overridden. */
    @Override
    default JsonObject handle(JobContext context) throws Exception {
        return Arc.container().instance(DurableRuntime.class).get().run(this, context);
    }
}
