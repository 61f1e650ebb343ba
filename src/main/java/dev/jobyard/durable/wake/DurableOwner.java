package dev.jobyard.durable.wake;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.database.Sql;
import dev.jobyard.durable.store.Wait;
import dev.jobyard.durable.store.WaitStore;
import dev.jobyard.job.Job;
import dev.jobyard.job.JobChange;
import dev.jobyard.job.JobOwner;
import dev.jobyard.job.JobStatus;
import dev.jobyard.job.JobStore;
import io.vertx.core.json.Json;

/**
 * The engine tells this owner, in the archiving transaction, of the end of every durable task and every child
 * one invoked. An ended task's wait goes, and the child it waited for is cancelled with it. An ended child
 * wakes its parent with its result (saved under the parent's key), or fails the parent when it ended FAILED or
 * CANCELLED: "child job N ended FAILED: ...", with no retry of the parent.
 */
@ApplicationScoped
public class DurableOwner implements JobOwner {

    /** The {@code owner} of durable tasks and of their children. */
    public static final String NAME = "durable";

    private final WaitStore waits;
    private final ChildJobs children;
    private final Wakes wakes;
    private final JobStore jobs;

    DurableOwner(WaitStore waits, ChildJobs children, Wakes wakes, JobStore jobs) {
        this.waits = waits;
        this.children = children;
        this.wakes = wakes;
        this.jobs = jobs;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<JobChange> ended(Sql.Tx tx, List<JobChange> ended) {
        Map<Long, JobChange> byId = new HashMap<>();
        ended.forEach(c -> byId.put(c.id(), c));
        List<Long> ids = new ArrayList<>(byId.keySet());
        List<JobChange> further = new ArrayList<>();
        // The ended tasks' own waits: gone; a child they waited for is cancelled with them.
        for (Wait w : waits.drop(tx, ids)) {
            if (Wait.INVOKE.equals(w.type()) && w.childJobId() != null) {
                further.addAll(children.cancel(tx, w.childJobId(), "parent job " + w.jobId() + " ended "
                        + byId.get(w.jobId()).status()));
            }
        }
        // Ended children: their parents (still waiting for them) wake or fail.
        List<Wait> parents = waits.takeChildren(tx, ids);
        if (parents.isEmpty()) {
            return further;
        }
        List<Wait> completed = new ArrayList<>();
        for (Wait w : parents) {
            JobChange child = byId.get(w.childJobId());
            if (child.status() == JobStatus.COMPLETED) {
                completed.add(w);
            } else {
                String why = "child job " + child.id() + " ended " + child.status()
                        + (child.error() == null ? "" : ": " + child.error());
                jobs.endParked(tx, w.jobId(), JobStatus.FAILED, why).ifPresent(further::add);
            }
        }
        if (!completed.isEmpty()) {
            Map<Long, String> results = new HashMap<>();
            for (Job job : jobs.findAll(tx, completed.stream().map(Wait::childJobId).toList())) {
                results.put(job.id(), Json.encode(job.result()));
            }
            further.addAll(wakes.resolve(tx, completed, w -> results.getOrDefault(w.childJobId(), "null")));
        }
        return further;
    }
}
