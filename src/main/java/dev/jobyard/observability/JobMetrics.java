package dev.jobyard.observability;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.database.Statements;
import dev.jobyard.job.ClaimedJob;
import dev.jobyard.job.Job;
import dev.jobyard.job.JobChange;
import dev.jobyard.job.JobStatus;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Job counters by queue and kind, and claim batch sizes by queue (tagged as {@link QueueLabels} says). Each is counted by the replica that
 * made the change, after its transaction commits (a batch that is written again after a failed commit
 * is not counted twice), so summing over replicas gives the cluster's totals.
 */
@ApplicationScoped
public class JobMetrics {

    private final MeterRegistry registry;
    private final QueueGauges queueGauges;
    private final QueueLabels labels;
    // queue -> kind -> meters: two lookups without allocating a key per job.
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, JobMeters>> meters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, DistributionSummary> claimBatches = new ConcurrentHashMap<>();

    JobMetrics(MeterRegistry registry, QueueGauges queueGauges, QueueLabels labels) {
        this.registry = registry;
        this.queueGauges = queueGauges;
        this.labels = labels;
    }

    JobMeters meters(String queueName, String kind) {
        String queue = labels.of(queueName);
        ConcurrentHashMap<String, JobMeters> byKind = meters.get(queue);
        if (byKind == null) {
            byKind = meters.computeIfAbsent(queue, q -> new ConcurrentHashMap<>());
            queueGauges.track(queue);
        }
        JobMeters found = byKind.get(kind);
        return found != null ? found : byKind.computeIfAbsent(kind, k -> new JobMeters(registry, queue, k));
    }

    /** Jobs just inserted through {@code db}; counted once it commits. Returns them, for chaining. */
    public List<Job> created(Statements db, List<Job> jobs) {
        db.afterCommit(() -> {
            for (Job job : jobs) {
                meters(job.queue(), job.kind()).created.increment();
            }
        });
        return jobs;
    }

    /** A claim that just committed: its size, and one start per job. Returns the jobs, for chaining. */
    public List<ClaimedJob> claimed(String queue, List<ClaimedJob> jobs) {
        if (jobs.isEmpty()) {
            return jobs; // the fallback poll finding nothing is not a batch
        }
        claimBatch(queue).record(jobs.size());
        for (ClaimedJob job : jobs) {
            meters(job.queue(), job.kind()).started.increment();
        }
        return jobs;
    }

    /**
     * Rows just changed through {@code db}: final states, retries and hand-backs are counted once it
     * commits; other changes (a dependency released) are not events worth a counter.
     */
    public void changed(Statements db, List<JobChange> changes) {
        if (!changes.isEmpty()) {
            db.afterCommit(() -> changes.forEach(this::count));
        }
    }

    /** A job the leader took back from an expired lease; counted once it commits. */
    public void rescued(Statements db, String queue, String kind) {
        db.afterCommit(() -> meters(queue, kind).rescued.increment());
    }

    private void count(JobChange change) {
        switch (change.status()) {
            case COMPLETED -> meters(change.queue(), change.kind()).completed.increment();
            case FAILED -> meters(change.queue(), change.kind()).failed.increment();
            case CANCELLED -> meters(change.queue(), change.kind()).cancelled.increment();
            case PENDING -> {
                if (change.previous() == JobStatus.RUNNING) {
                    // A retry carries the attempt's error; a hand-back at shutdown has none.
                    JobMeters m = meters(change.queue(), change.kind());
                    (change.error() != null ? m.retried : m.handedBack).increment();
                }
            }
            default -> {
                // RUNNING comes from claims, counted as they happen
            }
        }
    }

    private DistributionSummary claimBatch(String queueName) {
        String queue = labels.of(queueName);
        DistributionSummary found = claimBatches.get(queue);
        return found != null ? found : claimBatches.computeIfAbsent(queue, q -> DistributionSummary
                .builder("jobyard.claim.batch.size")
                .description("Jobs per claim statement that found any (claims that found none are not recorded)")
                .tag("queue", q)
                .serviceLevelObjectives(1, 2, 5, 10, 20, 50, 100, 200, 500)
                .register(registry));
    }
}
