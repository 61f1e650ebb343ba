package dev.jobyard.durable.wake;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.database.Sql;
import dev.jobyard.durable.DurableContext;
import dev.jobyard.durable.store.ChildStore;
import dev.jobyard.event.EventPublisher;
import dev.jobyard.job.JobChange;
import dev.jobyard.job.JobRequest;
import dev.jobyard.job.JobService;
import dev.jobyard.job.JobStore;
import dev.jobyard.job.NewJob;
import dev.jobyard.observability.JobCreations;

/**
 * Child jobs of durable tasks: created in the transaction that parks their parent (so a child exists exactly when
 * its parent waits for it, and can never end before the parent's wait is recorded), owned by
 * {@link DurableOwner}, and cancelled with their parent or when the parent's wait times out.
 */
@ApplicationScoped
public class ChildJobs {

    private final JobService service;
    private final JobStore jobs;
    private final ChildStore links;
    private final JobCreations creations;
    private final EventPublisher publisher;

    ChildJobs(JobService service, JobStore jobs, ChildStore links, JobCreations creations, EventPublisher publisher) {
        this.service = service;
        this.jobs = jobs;
        this.links = links;
        this.creations = creations;
        this.publisher = publisher;
    }

    /** Checks an invocation by the rules of createJob (fields under {@code invoke}), before the parent parks. */
    public NewJob check(DurableContext.Invocation invocation) {
        return service.validate(request(invocation, null), "invoke");
    }

    /** Creates the child in the parking transaction (it is announced when that commits); returns its id. */
    public long create(Sql.Tx tx, long parentId, String parentQueue, String key, DurableContext.Invocation invocation) {
        NewJob job = service.validate(request(invocation, parentQueue), "invoke").ownedBy(DurableOwner.NAME);
        long id = creations.created(tx, jobs.insert(tx, null, List.of(job), List.of(List.of()))).get(0).id();
        links.add(tx, id, parentId, key);
        return id;
    }

    /**
     * Cancels a child in the caller's transaction: a parked one at once (with its dependents), a running one by
     * asking its worker. Returns the jobs that ended, for the caller to announce and to hand to their owners.
     */
    public List<JobChange> cancel(Sql.Tx tx, long childId, String reason) {
        Optional<JobChange> cancelled = jobs.cancelPending(tx, childId, reason);
        if (cancelled.isEmpty()) {
            if (jobs.requestCancel(tx, childId, reason)) {
                publisher.cancelRequested(tx, childId);
            }
            return List.of();
        }
        List<JobChange> ended = new ArrayList<>(cancelled.stream().toList());
        ended.addAll(jobs.cancelDependents(tx, ended));
        return ended;
    }

    private static JobRequest request(DurableContext.Invocation invocation, String parentQueue) {
        return new JobRequest(invocation.queue() != null ? invocation.queue() : parentQueue, invocation.kind(), null, null,
                invocation.payload(), null, null, null, null, null, invocation.maxAttempts(), null, null, null, null);
    }
}
