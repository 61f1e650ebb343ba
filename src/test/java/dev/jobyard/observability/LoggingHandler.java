package dev.jobyard.observability;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.jobyard.handler.JobContext;
import dev.jobyard.handler.JobHandler;
import io.vertx.core.json.JsonObject;

/** A handler that logs the way handlers do: to the service's log, and to the job's log. */
@ApplicationScoped
public class LoggingHandler implements JobHandler {

    static final String CATEGORY = "dev.jobyard.test.logging-handler";
    private static final Logger LOG = Logger.getLogger(CATEGORY);

    @Override
    public String kind() {
        return "test-logs";
    }

    @Override
    public JsonObject handle(JobContext context) {
        LOG.infof("handling %s", context.payload().getString("marker"));
        context.log("WARN", "job log line " + context.payload().getString("marker"), null);
        return null;
    }
}
