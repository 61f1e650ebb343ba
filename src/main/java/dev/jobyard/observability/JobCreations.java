package dev.jobyard.observability;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.database.Statements;
import dev.jobyard.job.Job;

/** What the creators of jobs (the API, schedules, retryJob) report: the count, and the trace to join. */
@ApplicationScoped
public class JobCreations {

    private final JobMetrics metrics;
    private final JobTraces traces;

    JobCreations(JobMetrics metrics, JobTraces traces) {
        this.metrics = metrics;
        this.traces = traces;
    }

    /**
     * True when jobs created now must be created in a transaction, because their trace context is stored
     * with them (tracing is on and the request is traced); false otherwise, and always while tracing is off.
     */
    public boolean needTransaction() {
        return traces.recording();
    }

    /** Jobs just inserted through {@code db}: counted once it commits, their trace context stored with them. */
    public List<Job> created(Statements db, List<Job> jobs) {
        return traces.remember(db, metrics.created(db, jobs));
    }
}
