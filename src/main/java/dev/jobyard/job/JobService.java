package dev.jobyard.job;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.jobyard.common.BadInputException;
import dev.jobyard.common.ConflictException;
import dev.jobyard.common.NotFoundException;
import dev.jobyard.config.JobyardConfig;
import dev.jobyard.database.Sql;
import dev.jobyard.event.EventPublisher;
import dev.jobyard.handler.HandlerRegistry;
import dev.jobyard.observability.JobCreations;
import dev.jobyard.observability.JobMetrics;
import dev.jobyard.queue.QueueNames;
import io.vertx.core.json.JsonObject;

/** The rules for creating, cancelling and retrying jobs. Bad input throws and changes nothing. */
@ApplicationScoped
public class JobService {

    static final int MAX_NAME = 200;
    static final int MAX_PRIORITY = 1000;

    private final Sql sql;
    private final JobStore store;
    private final EventPublisher events;
    private final HandlerRegistry handlers;
    private final JobyardConfig config;
    @Inject
    JobCreations creations;
    @Inject
    JobMetrics metrics;
    @Inject
    IdleWorkers idleWorkers;
    @Inject
    JobOwners owners;

    JobService(Sql sql, JobStore store, EventPublisher events, HandlerRegistry handlers, JobyardConfig config) {
        this.sql = sql;
        this.store = store;
        this.events = events;
        this.handlers = handlers;
        this.config = config;
    }

    public Job create(JobRequest request) {
        return createAll(List.of(request), "input").get(0);
    }

    /**
     * Creates every item or none. Items may reference each other by {@code ref}; an item whose
     * idempotency key exists already is answered with the existing job.
     */
    public List<Job> createBatch(List<JobRequest> requests) {
        if (requests.isEmpty()) {
            throw new BadInputException("inputs", "at least one job is needed");
        }
        if (requests.size() > config.limits().maxBatchSize()) {
            throw new BadInputException("inputs", "at most " + config.limits().maxBatchSize()
                    + " jobs per call (jobyard.limits.max-batch-size), got " + requests.size());
        }
        return createAll(requests, "inputs");
    }

    private List<Job> createAll(List<JobRequest> requests, String field) {
        int n = requests.size();
        boolean batch = field.equals("inputs");
        List<NewJob> jobs = new ArrayList<>(n);
        Map<String, Integer> refs = new HashMap<>();
        for (int i = 0; i < n; i++) {
            String at = batch ? field + "[" + i + "]" : field;
            jobs.add(validate(requests.get(i), at));
            String ref = requests.get(i).ref();
            if (ref != null && refs.put(ref, i) != null) {
                throw new BadInputException(at + ".ref", "'" + ref + "' is used by more than one item");
            }
        }
        List<List<Integer>> refEdges = resolveRefs(requests, refs, field, batch);
        DependencyGraph.findCycle(refEdges).ifPresent(cycle -> {
            List<String> names = cycle.stream().map(i -> Optional.ofNullable(requests.get(i).ref()).orElse("#" + i)).toList();
            throw new BadInputException(field + ".dependsOnRefs", "dependency cycle: " + String.join(" -> ", names)
                    + " -> " + names.get(0));
        });
        Map<String, Integer> keysInBatch = new HashMap<>();
        for (int i = 0; i < n; i++) {
            String key = jobs.get(i).idempotencyKey();
            if (key != null && keysInBatch.put(key, i) != null) {
                throw new BadInputException(field + "[" + i + "].idempotencyKey", "'" + key + "' appears twice in the batch");
            }
        }

        boolean independent = jobs.stream().allMatch(j -> j.idempotencyKey() == null && j.dependencies().isEmpty())
                && refEdges.stream().allMatch(List::isEmpty);
        if (independent && !creations.needTransaction()) {
            // Nothing to check against other rows: one statement inserts, announces and returns them.
            return createIndependent(jobs);
        }
        List<Job> resultIds = sql.inTransaction(tx -> {
            List<Long> ids = store.allocateIds(tx, n);
            // Items whose key already exists are answered with the existing job and not created.
            List<String> keys = new ArrayList<>();
            List<Long> keyIds = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (jobs.get(i).idempotencyKey() != null) {
                    keys.add(jobs.get(i).idempotencyKey());
                    keyIds.add(ids.get(i));
                }
            }
            Map<String, Long> existing = store.claimKeys(tx, keys, keyIds);
            List<Long> finalIds = new ArrayList<>(ids);
            boolean[] skip = new boolean[n];
            for (int i = 0; i < n; i++) {
                String key = jobs.get(i).idempotencyKey();
                Long found = key == null ? null : existing.get(key);
                if (found != null) {
                    finalIds.set(i, found);
                    skip[i] = true;
                }
            }

            // Every dependency as an id: external ones as given, batch refs as the ids just allocated.
            List<NewJob> withDeps = new ArrayList<>(n);
            LinkedHashSet<Long> external = new LinkedHashSet<>();
            for (int i = 0; i < n; i++) {
                LinkedHashSet<Long> deps = new LinkedHashSet<>(jobs.get(i).dependencies());
                external.addAll(jobs.get(i).dependencies());
                for (int ref : refEdges.get(i)) {
                    deps.add(finalIds.get(ref));
                    if (skip[ref]) {
                        external.add(finalIds.get(ref));
                    }
                }
                withDeps.add(jobs.get(i).withDependencies(new ArrayList<>(deps)));
            }
            Map<Long, JobStatus> depStatus = store.lockDependencies(tx, new ArrayList<>(external));
            for (int i = 0; i < n; i++) {
                if (skip[i]) {
                    continue;
                }
                String at = batch ? field + "[" + i + "].dependencies" : field + ".dependencies";
                for (Long dep : jobs.get(i).dependencies()) {
                    JobStatus status = depStatus.get(dep);
                    if (status == null) {
                        throw new BadInputException(at, "job " + dep + " does not exist");
                    }
                    if (status == JobStatus.FAILED || status == JobStatus.CANCELLED) {
                        throw new BadInputException(at, "job " + dep + " ended " + status + ", so a job depending on it could never run");
                    }
                }
            }

            List<Long> createIds = new ArrayList<>();
            List<NewJob> createJobs = new ArrayList<>();
            List<List<Long>> unfinished = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (skip[i]) {
                    continue;
                }
                List<Long> waiting = new ArrayList<>();
                for (Long dep : withDeps.get(i).dependencies()) {
                    JobStatus status = depStatus.get(dep);
                    // In-batch items are unfinished by definition; external ones unless archived COMPLETED.
                    if (status == null || status == JobStatus.PENDING || status == JobStatus.RUNNING) {
                        waiting.add(dep);
                    } else if (status != JobStatus.COMPLETED) {
                        throw new BadInputException(field + "[" + i + "].dependsOnRefs", "job " + dep + " ended " + status
                                + ", so a job depending on it could never run");
                    }
                }
                createIds.add(ids.get(i));
                createJobs.add(withDeps.get(i));
                unfinished.add(waiting);
            }
            if (!createJobs.isEmpty()) {
                creations.created(tx, store.insert(tx, createIds, createJobs, unfinished));
            }
            // Read back inside the transaction: the caller gets the jobs as created, before a worker takes them.
            List<Job> found = store.findAll(tx, finalIds);
            java.util.Set<Long> foundIds = new java.util.HashSet<>();
            found.forEach(job -> foundIds.add(job.id()));
            for (int i = 0; i < n; i++) {
                if (skip[i] && !foundIds.contains(finalIds.get(i))) {
                    // The key's window outlives its job's history (cleanupHistory, a short retention).
                    throw new ConflictException((batch ? field + "[" + i + "]" : field) + ".idempotencyKey: '"
                            + jobs.get(i).idempotencyKey() + "' belongs to job " + finalIds.get(i)
                            + ", whose history has been removed; the key makes no second job within its window"
                            + " (jobyard.idempotency.key-retention)");
                }
            }
            return inOrder(finalIds, found);
        });
        return resultIds;
    }

    /**
     * Inserts in one statement jobs that depend on nothing; as many as this replica has idle workers for
     * (all in one queue) are inserted already claimed and start at once.
     */
    private List<Job> createIndependent(List<NewJob> jobs) {
        String queue = jobs.get(0).queue();
        boolean oneQueue = jobs.stream().allMatch(j -> j.queue().equals(queue));
        StartAtCreate start = oneQueue ? idleWorkers.reserve(queue, jobs.size()) : StartAtCreate.NONE;
        List<ClaimedJob> started = new ArrayList<>();
        try {
            List<Job> created = store.insert(sql.changes(), null, jobs, jobs.stream().map(j -> List.<Long>of()).toList(), start);
            // Collected first: whatever follows, the jobs inserted already claimed must reach their threads.
            for (Job job : created) {
                // A new job is RUNNING only if this statement started it. Copies: the handler and the response
                // being written must not share mutable JSON.
                if (job.status() == JobStatus.RUNNING) {
                    started.add(new ClaimedJob(job.id(), job.queue(), job.kind(), job.name(), job.payload().copy(),
                            job.labels().copy(), job.attempts(), job.maxAttempts(), job.timeoutSeconds(), job.worker(),
                            StartAtCreate.FIRST_CLAIM, job.priority(), job.runAt(), false));
                }
            }
            return creations.created(sql, created);
        } finally {
            idleWorkers.release(queue, start, started);
        }
    }

    private List<List<Integer>> resolveRefs(List<JobRequest> requests, Map<String, Integer> refs, String field,
            boolean batch) {
        List<List<Integer>> edges = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            List<Integer> to = new ArrayList<>();
            List<String> dependsOn = requests.get(i).dependsOnRefs();
            if (dependsOn != null && !dependsOn.isEmpty()) {
                if (!batch) {
                    throw new BadInputException(field + ".dependsOnRefs", "refs only work inside createJobs; use dependencies with job ids");
                }
                for (String ref : dependsOn) {
                    Integer index = refs.get(ref);
                    if (index == null) {
                        throw new BadInputException(field + "[" + i + "].dependsOnRefs", "no item in this batch has ref '" + ref + "'");
                    }
                    to.add(index);
                }
            }
            edges.add(to);
        }
        return edges;
    }

    /** Checks one request against every rule; the errors name fields under {@code at}. */
    public NewJob validate(JobRequest r, String at) {
        if (r.kind() == null || r.kind().isBlank()) {
            throw new BadInputException(at + ".kind", "is required");
        }
        var handler = handlers.require(at + ".kind", r.kind());
        String queue = QueueNames.check(at + ".queue", r.queue());
        var limits = config.limits();
        Texts.check(at + ".name", r.name(), MAX_NAME, null);
        Texts.check(at + ".description", r.description(), limits.maxDescriptionLength(), "jobyard.limits.max-description-length");
        Texts.check(at + ".ref", r.ref(), MAX_NAME, null);
        if (r.dependsOnRefs() != null) {
            for (String ref : r.dependsOnRefs()) {
                Texts.check(at + ".dependsOnRefs", ref, MAX_NAME, null);
            }
        }
        int priority = r.priority() == null ? 0 : r.priority();
        if (priority < -MAX_PRIORITY || priority > MAX_PRIORITY) {
            throw new BadInputException(at + ".priority", "must be between -1000 and 1000, got " + priority);
        }
        int maxAttempts = r.maxAttempts() == null ? 3 : r.maxAttempts();
        if (maxAttempts < 1) {
            throw new BadInputException(at + ".maxAttempts", "must be at least 1, got " + maxAttempts);
        }
        if (r.timeoutSeconds() != null && r.timeoutSeconds() < 1) {
            throw new BadInputException(at + ".timeoutSeconds", "must be at least 1 second, got " + r.timeoutSeconds());
        }
        if (r.runAt() != null && r.delaySeconds() != null) {
            throw new BadInputException(at + ".delaySeconds", "give runAt or delaySeconds, not both");
        }
        long delay = r.delaySeconds() == null ? 0 : r.delaySeconds();
        if (delay < 0) {
            throw new BadInputException(at + ".delaySeconds", "must be >= 0, got " + delay);
        }
        if (r.idempotencyKey() != null && (r.idempotencyKey().isBlank() || r.idempotencyKey().length() > MAX_NAME)) {
            throw new BadInputException(at + ".idempotencyKey", "must be 1 to " + MAX_NAME + " characters");
        }
        Texts.check(at + ".idempotencyKey", r.idempotencyKey(), MAX_NAME, null);
        JsonObject payload = r.payload() == null ? new JsonObject() : r.payload();
        Texts.checkJson(at + ".payload", payload, limits.maxPayloadBytes(), "jobyard.limits.max-payload-bytes");
        JsonObject labels = r.labels() == null ? new JsonObject() : r.labels();
        Texts.checkJson(at + ".labels", labels, limits.maxLabelsBytes(), "jobyard.limits.max-labels-bytes");
        try {
            handler.validate(payload);
        } catch (BadInputException e) {
            throw e.under(at);
        }
        List<Long> dependencies = new ArrayList<>();
        if (r.dependencies() != null) {
            for (String id : r.dependencies()) {
                dependencies.add(parseId(at + ".dependencies", id));
            }
        }
        return new NewJob(queue, r.kind(), r.name(), r.description(), payload, labels, priority, r.runAt(), delay, maxAttempts,
                r.timeoutSeconds(), r.idempotencyKey(), dependencies, null, null, false, handler.owner(),
                handler.clientName(payload));
    }

    /**
     * Cancels a job: a pending one at once (and its dependents with it), a running one by asking its
     * worker to interrupt the handler. Finished jobs cannot be cancelled.
     */
    public Job cancel(String jobId, String reason) {
        long id = parseId("id", jobId);
        Texts.check("reason", reason, config.limits().maxReasonLength(), "jobyard.limits.max-reason-length");
        String why = reason == null || reason.isBlank() ? "cancelled by request" : reason;
        sql.inTransaction(tx -> {
            Optional<JobChange> cancelled = store.cancelPending(tx, id, why);
            OffsetDateTime now = OffsetDateTime.now();
            if (cancelled.isPresent()) {
                List<JobChange> changes = new ArrayList<>(cancelled.stream().toList());
                changes.addAll(store.cancelDependents(tx, changes));
                changes.addAll(owners.ended(tx, List.copyOf(changes)));
                metrics.changed(tx, changes);
                events.jobEvents(tx, changes.stream().map(c -> c.toEvent(now)).toList());
            } else if (store.requestCancel(tx, id, why)) {
                events.cancelRequested(tx, id);
            }
            return null;
        });
        Job job = store.find(id).orElseThrow(() -> new NotFoundException("job", id));
        if (job.status().isFinal() && job.status() != JobStatus.CANCELLED) {
            throw new ConflictException("job " + id + " already ended " + job.status() + " and cannot be cancelled");
        }
        return job;
    }

    /** Enqueues a FAILED or CANCELLED job again, as a new job that names the old one in retryOf. */
    public Job retry(String jobId) {
        long id = parseId("id", jobId);
        Job old = store.find(id).orElseThrow(() -> new NotFoundException("job", id));
        if (old.status() != JobStatus.FAILED && old.status() != JobStatus.CANCELLED) {
            throw new ConflictException("job " + id + " is " + old.status() + "; only FAILED or CANCELLED jobs can be retried");
        }
        NewJob again = new NewJob(old.queue(), old.kind(), old.name(), old.description(), old.payload(), old.labels(),
                old.priority(), null, 0, old.maxAttempts(), old.timeoutSeconds(), null, List.of(), old.id(),
                old.scheduleId(), false, handlers.find(old.kind()).map(h -> h.owner()).orElse(null),
                handlers.find(old.kind()).map(h -> h.clientName(old.payload())).orElse(null));
        return sql.inTransaction(tx -> creations.created(tx, store.insert(tx, null, List.of(again), List.of(List.of())))).get(0);
    }

    public Optional<Job> find(String jobId) {
        return store.find(parseId("id", jobId));
    }

    private static List<Job> inOrder(List<Long> ids, List<Job> found) {
        Map<Long, Job> byId = new HashMap<>();
        for (Job job : found) {
            byId.put(job.id(), job);
        }
        List<Job> jobs = new ArrayList<>(ids.size());
        for (Long id : ids) {
            Job job = byId.get(id);
            if (job == null) {
                throw new NotFoundException("job", id);
            }
            jobs.add(job);
        }
        return jobs;
    }

    public static long parseId(String field, String id) {
        try {
            long value = Long.parseLong(id.trim());
            if (value <= 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (RuntimeException e) {
            throw new BadInputException(field, "'" + id + "' is not a job id");
        }
    }
}
