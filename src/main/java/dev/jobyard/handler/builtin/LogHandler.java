package dev.jobyard.handler.builtin;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.handler.JobContext;
import dev.jobyard.handler.JobHandler;
import io.vertx.core.json.JsonObject;

/**
 * Writes its payload to the job's log: {@code message} and {@code level} (default INFO) when given,
 * the whole payload as the line's data.
 */
@ApplicationScoped
public class LogHandler implements JobHandler {

    @Override
    public String kind() {
        return "log";
    }

    @Override
    public JsonObject handle(JobContext context) {
        JsonObject payload = context.payload();
        context.log(payload.getString("level", "INFO"), payload.getString("message", payload.encode()), payload);
        return null;
    }
}
