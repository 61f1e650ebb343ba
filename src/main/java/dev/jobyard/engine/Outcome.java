package dev.jobyard.engine;

import dev.jobyard.job.Fence;
import io.vertx.core.json.JsonObject;

/** How one attempt ended, waiting to be written by the completer (or decided by the rescuer). */
public sealed interface Outcome {

    Fence fence();

    /**
     * The handler returned. {@code releasesDependents}: other jobs wait for this one, so the completer
     * writes it ahead of the rest.
     */
    record Succeeded(Fence fence, JsonObject result, boolean releasesDependents) implements Outcome {
    }

    /** The handler threw or timed out; retried while attempts remain, else FAILED. {@code output} may be null. */
    record Failed(Fence fence, int maxAttempts, String error, JsonObject output) implements Outcome {
        public Failed(Fence fence, int maxAttempts, String error) {
            this(fence, maxAttempts, error, null);
        }
    }

    /** Someone cancelled the job while it ran. {@code output} (what the attempt printed) may be null. */
    record Cancelled(Fence fence, String reason, JsonObject output) implements Outcome {
        public Cancelled(Fence fence, String reason) {
            this(fence, reason, null);
        }
    }

    /**
     * The handler hung up ({@link dev.jobyard.handler.HangUp}): the job is parked as PENDING (later) or WAITING,
     * the attempt is not counted, and the hang-up's own writes run in the same transaction.
     */
    record HungUp(Fence fence, dev.jobyard.handler.HangUp hangUp) implements Outcome {
    }

    /** The replica is shutting down: the job goes back to PENDING and the attempt is not counted. */
    record HandedBack(Fence fence) implements Outcome {
    }
}
