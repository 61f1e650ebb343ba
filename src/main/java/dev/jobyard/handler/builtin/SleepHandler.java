package dev.jobyard.handler.builtin;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.common.BadInputException;
import dev.jobyard.handler.JobContext;
import dev.jobyard.handler.JobHandler;
import io.vertx.core.json.JsonObject;

/** Sleeps {@code {"ms": n}} milliseconds; stops at once when cancelled, timed out or shut down. */
@ApplicationScoped
public class SleepHandler implements JobHandler {

    @Override
    public String kind() {
        return "sleep";
    }

    @Override
    public void validate(JsonObject payload) {
        Object ms = payload.getValue("ms");
        if (!(ms instanceof Number number) || number.longValue() < 0) {
            throw new BadInputException("payload.ms", "sleep needs a number of milliseconds >= 0, got " + ms);
        }
    }

    @Override
    public JsonObject handle(JobContext context) throws InterruptedException {
        long ms = context.payload().getLong("ms");
        Thread.sleep(ms);
        return new JsonObject().put("sleptMs", ms);
    }
}
