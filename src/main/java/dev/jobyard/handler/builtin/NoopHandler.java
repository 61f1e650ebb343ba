package dev.jobyard.handler.builtin;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.handler.JobContext;
import dev.jobyard.handler.JobHandler;
import io.vertx.core.json.JsonObject;

/** Does nothing and succeeds: for tests, benchmarks and placeholder steps. */
@ApplicationScoped
public class NoopHandler implements JobHandler {

    @Override
    public String kind() {
        return "noop";
    }

    @Override
    public JsonObject handle(JobContext context) {
        return null;
    }
}
