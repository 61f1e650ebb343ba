package dev.jobyard.api;

import java.io.StringReader;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;
import org.eclipse.microprofile.graphql.Source;

import dev.jobyard.access.Callers;
import dev.jobyard.access.Perm;
import dev.jobyard.access.Permission;
import dev.jobyard.access.QueueGrants;
import dev.jobyard.durable.store.ChildStore;
import dev.jobyard.durable.store.EventStore;
import dev.jobyard.durable.store.Saved;
import dev.jobyard.durable.store.StepStore;
import dev.jobyard.durable.store.WaitStore;
import dev.jobyard.durable.wake.DurableEvents;
import dev.jobyard.job.JobStatus;
import dev.jobyard.job.JobStore;
import io.smallrye.common.annotation.Blocking;

/** Durable tasks over GraphQL: events, and what a task saved and waits for, as fields of Job. */
@Blocking
@GraphQLApi
public class DurableResource {

    private final DurableEvents events;
    private final EventStore eventStore;
    private final StepStore steps;
    private final WaitStore waits;
    private final ChildStore children;
    private final JobStore jobs;

    DurableResource(DurableEvents events, EventStore eventStore, StepStore steps, WaitStore waits, ChildStore children,
            JobStore jobs) {
        this.events = events;
        this.eventStore = eventStore;
        this.steps = steps;
        this.waits = waits;
        this.children = children;
        this.jobs = jobs;
    }

    @Mutation
    @Description("Emits an event: every durable task waiting for this name wakes with the payload. Returns how many woke.")
    @Permission(Perm.JOBS_WRITE)
    public int emitEvent(@NonNull String name, jakarta.json.JsonValue payload) {
        return events.emit(name, payload == null ? null : io.vertx.core.json.Json.decodeValue(payload.toString()),
                Callers.queues());
    }

    @Query
    @Description("Emitted events, newest first, of one name or all.")
    @Permission(Perm.READ)
    public List<DurableViews.Event> events(String name, Integer first, String after) {
        long before = after == null ? Long.MAX_VALUE : Cursors.idAfter(after);
        // A caller limited to some queues sees the events that woke a task of its queues.
        QueueGrants granted = Callers.queues();
        return eventStore.list(name, before, Cursors.pageSize(first), granted.all() ? null : granted.likePatterns()).stream()
                .map(e -> new DurableViews.Event(String.valueOf(e.id()), Cursors.ofId(e.id()), e.name(), json(e.payload()),
                        e.woke(), e.at()))
                .toList();
    }

    @Description("What this durable task saved, by key, oldest first (empty for other jobs).")
    public List<DurableViews.Step> steps(@Source JobView job) {
        return steps.list(job.id()).stream().map(DurableResource::step).toList();
    }

    @Description("What this durable task waits for while WAITING or sleeping; null otherwise.")
    public List<DurableViews.Wait> waitingFor(@Source List<JobView> views) {
        List<Long> parked = views.stream()
                .filter(v -> v.status() == JobStatus.WAITING || v.status() == JobStatus.PENDING).map(JobView::id).toList();
        Map<Long, dev.jobyard.durable.store.Wait> found = waits.find(parked);
        return views.stream().map(v -> {
            var w = found.get(v.id());
            return w == null ? null : new DurableViews.Wait(w.type(), w.key(), w.until(), w.eventName(),
                    w.childJobId() == null ? null : String.valueOf(w.childJobId()), w.tableName(), w.operation(),
                    w.columns());
        }).toList();
    }

    @Id
    @Description("The durable task that invoked this job, if one did.")
    public List<String> parentJobId(@Source List<JobView> views) {
        Map<Long, String> parents = new java.util.HashMap<>();
        var links = children.parentsOf(views.stream().map(JobView::id).toList());
        // A caller limited to some queues is not shown a parent in another queue (a job it cannot see).
        QueueGrants granted = Callers.queues();
        java.util.Set<Long> hidden = new java.util.HashSet<>();
        if (!granted.all()) {
            jobs.findAll(links.stream().map(l -> l.parentId()).distinct().toList()).stream()
                    .filter(j -> !granted.allows(j.queue())).forEach(j -> hidden.add(j.id()));
        }
        links.stream().filter(l -> !hidden.contains(l.parentId()))
                .forEach(l -> parents.put(l.childId(), String.valueOf(l.parentId())));
        return views.stream().map(v -> parents.get(v.id())).toList();
    }

    @Description("The jobs this durable task invoked, oldest first.")
    public List<JobView> children(@Source JobView job) {
        List<Long> ids = children.children(job.id());
        Map<Long, dev.jobyard.job.Job> found = new java.util.HashMap<>();
        // A child in a queue the caller may not see does not exist for it.
        QueueGrants granted = Callers.queues();
        jobs.findAll(ids).stream().filter(j -> granted.allows(j.queue())).forEach(j -> found.put(j.id(), j));
        return ids.stream().filter(found::containsKey).map(id -> JobView.of(found.get(id))).toList();
    }

    private static DurableViews.Step step(Saved s) {
        return new DurableViews.Step(s.key(), s.type(), json(s.result()), s.timedOut(), s.at());
    }

    private static jakarta.json.JsonValue json(String text) {
        if (text == null) {
            return null;
        }
        try (var reader = jakarta.json.Json.createReader(new StringReader(text))) {
            return reader.readValue();
        }
    }
}
