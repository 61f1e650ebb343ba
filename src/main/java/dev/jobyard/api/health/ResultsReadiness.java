package dev.jobyard.api.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.jobyard.config.JobyardConfig;
import dev.jobyard.engine.ResultBacklog;
import dev.jobyard.engine.WorkerPool;

/**
 * Down while job results on this replica have waited longer than a lease to be written: their jobs
 * stay RUNNING meanwhile, so something is wrong (the database refuses or is away, or the completer
 * cannot keep up). The data says how many, how long, and the last write error.
 */
@Readiness
@ApplicationScoped
public class ResultsReadiness implements HealthCheck {

    private final WorkerPool pool;
    private final JobyardConfig config;

    ResultsReadiness(WorkerPool pool, JobyardConfig config) {
        this.pool = pool;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        ResultBacklog backlog = pool.resultBacklog();
        var response = HealthCheckResponse.named("job-results")
                .withData("waiting", backlog.waiting())
                .withData("overdue", backlog.overdue())
                .withData("oldestWaitMs", backlog.oldestMillis());
        if (backlog.overdue() == 0) {
            return response.up().build();
        }
        String reason = backlog.overdue() + " job results have waited longer than the lease ("
                + config.leaseTimeout().toSeconds() + "s) to be written"
                + (backlog.failure() == null ? "; the completer does not keep up" : ": " + backlog.failure());
        return response.down().withData("reason", reason).build();
    }
}
