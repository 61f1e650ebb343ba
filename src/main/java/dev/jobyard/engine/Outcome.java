package dev.jobyard.engine;

import dev.jobyard.job.Fence;
import io.vertx.core.json.JsonObject;

/** How one attempt ended, waiting to be written by the completer (or decided by the rescuer). */
public sealed interface Outcome {

    Fence fence();

    /** The handler returned. */
    record Succeeded(Fence fence, JsonObject result) implements Outcome {
    }

    /** The handler threw or timed out; retried while attempts remain, else FAILED. */
    record Failed(Fence fence, int maxAttempts, String error) implements Outcome {
    }

    /** Someone cancelled the job while it ran. */
    record Cancelled(Fence fence, String reason) implements Outcome {
    }

    /** The replica is shutting down: the job goes back to PENDING and the attempt is not counted. */
    record HandedBack(Fence fence) implements Outcome {
    }
}
