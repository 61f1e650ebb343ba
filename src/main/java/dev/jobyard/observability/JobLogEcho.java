package dev.jobyard.observability;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

/**
 * Repeats the lines handlers write to the job's log ({@code JobContext.log}) in the service's own log,
 * under the category {@value #CATEGORY}, at the line's level; with the job's MDC fields, so a log
 * shipper reading JSON logs gets them too. The category is OFF by default (the lines are in
 * {@code job_log} already); {@code quarkus.log.category."jobyard.job-log".level=INFO} turns it on.
 */
@ApplicationScoped
public class JobLogEcho {

    public static final String CATEGORY = "jobyard.job-log";
    private static final Logger LOG = Logger.getLogger(CATEGORY);

    public void line(String level, String message) {
        Logger.Level at = level(level);
        if (LOG.isEnabled(at)) {
            LOG.log(at, message);
        }
    }

    private static Logger.Level level(String name) {
        return switch (name) {
            case "TRACE" -> Logger.Level.TRACE;
            case "DEBUG" -> Logger.Level.DEBUG;
            case "WARN", "WARNING" -> Logger.Level.WARN;
            case "ERROR" -> Logger.Level.ERROR;
            case "FATAL" -> Logger.Level.FATAL;
            default -> Logger.Level.INFO;
        };
    }
}
