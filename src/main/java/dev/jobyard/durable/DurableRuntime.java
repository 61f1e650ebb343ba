package dev.jobyard.durable;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.durable.store.Saved;
import dev.jobyard.durable.store.StepStore;
import dev.jobyard.handler.JobContext;
import io.vertx.core.json.JsonObject;

/**
 * Runs one attempt of a durable task: loads what the task saved (one statement), replays its code against it,
 * and turns what the code returns into the job's result.
 */
// Looked up programmatically by DurableHandler.handle: Unremovable keeps ArC from dropping it as unused.
@io.quarkus.arc.Unremovable
@ApplicationScoped
public class DurableRuntime {

    private final StepStore steps;
    private final Primitives primitives;

    DurableRuntime(StepStore steps, Primitives primitives) {
        this.steps = steps;
        this.primitives = primitives;
    }

    JsonObject run(DurableHandler handler, JobContext job) throws Exception {
        Map<String, Saved> saved = steps.load(job.jobId());
        Object result = handler.run(new Replay(job, saved, primitives));
        if (result == null || result instanceof JsonObject) {
            return (JsonObject) result;
        }
        Object value = Primitives.normalize(result);
        return value instanceof JsonObject o ? o : new JsonObject().put("value", value);
    }
}
