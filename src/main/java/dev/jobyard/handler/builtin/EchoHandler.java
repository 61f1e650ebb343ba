package dev.jobyard.handler.builtin;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.handler.JobContext;
import dev.jobyard.handler.JobHandler;
import io.vertx.core.json.JsonObject;

/** Returns its payload as the result. */
@ApplicationScoped
public class EchoHandler implements JobHandler {

    @Override
    public String kind() {
        return "echo";
    }

    @Override
    public JsonObject handle(JobContext context) {
        return context.payload();
    }
}
