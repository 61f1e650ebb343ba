package dev.jobyard.flow.run;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.database.Sql;
import dev.jobyard.flow.FlowDefinition;
import dev.jobyard.flow.StepDefinition;
import dev.jobyard.job.Job;
import dev.jobyard.job.JobStore;
import dev.jobyard.job.NewJob;
import dev.jobyard.observability.JobCreations;
import io.vertx.core.json.JsonObject;

/**
 * Turns planned tasks into ordinary jobs of their step's kind, owned by {@link FlowJobOwner#NAME}, and
 * records each as its task's current job. A job has one attempt: the flow retries a failed task with a new
 * job, after the step's own backoff, so every end of a task's job passes through the run's lock.
 */
@ApplicationScoped
public class TaskJobs {

    /** The label that names a task job's run (a string, the run's id). */
    static final String RUN_LABEL = "flowRun";

    private final JobStore jobs;
    private final TaskStore tasks;
    private final JobCreations creations;

    TaskJobs(JobStore jobs, TaskStore tasks, JobCreations creations) {
        this.jobs = jobs;
        this.tasks = tasks;
        this.creations = creations;
    }

    /** Inserts (and so announces) the jobs of {@code planned} in one statement and records their tasks. */
    void insert(Sql.Tx tx, List<RunAdvance.PlannedTask> planned) {
        if (planned.isEmpty()) {
            return;
        }
        List<NewJob> newJobs = new ArrayList<>(planned.size());
        for (RunAdvance.PlannedTask p : planned) {
            newJobs.add(newJob(p));
        }
        List<Job> created = creations.created(tx, jobs.insert(tx, null, newJobs,
                newJobs.stream().map(j -> List.<Long>of()).toList()));
        List<TaskStore.NewTask> fresh = new ArrayList<>();
        for (int i = 0; i < planned.size(); i++) {
            RunAdvance.PlannedTask p = planned.get(i);
            long jobId = created.get(i).id();
            if (p.retried() == null) {
                fresh.add(new TaskStore.NewTask(p.run().run().id(), p.step().slug(), p.index(), jobId));
            } else {
                tasks.retried(tx, p.retried(), jobId, p.retriedError());
            }
        }
        tasks.insert(tx, fresh);
    }

    private static NewJob newJob(RunAdvance.PlannedTask p) {
        FlowDefinition flow = p.run().flow();
        StepDefinition step = p.step();
        long run = p.run().run().id();
        String name = flow.slug() + "/" + step.slug() + (step.type() == dev.jobyard.flow.StepType.MAP ? "[" + p.index() + "]" : "");
        JsonObject labels = new JsonObject().put("flow", flow.slug()).put(RUN_LABEL, String.valueOf(run))
                .put("step", step.slug()).put("task", p.index());
        Integer timeout = step.timeoutSeconds() != null ? step.timeoutSeconds() : flow.timeoutSeconds();
        // Claims take ready jobs oldest run_at first. A step's jobs are made when it starts, so with run_at now they
        // would queue behind every task the other runs made ready meanwhile, where a plain dependent keeps the
        // run_at it was created with long before. Dated from the run's start, a run's later steps go before the
        // steps of runs started after it. Not so for a delayed step (startDelaySeconds) or a retry (its backoff).
        OffsetDateTime runAt = p.retried() == null && p.delaySeconds() == 0 ? p.run().run().createdAt() : null;
        return new NewJob(flow.queue(), step.kind(), name, null, p.payload(), labels, 0, runAt, p.delaySeconds(), 1,
                timeout, null, List.of(), p.retried() == null ? null : p.retried().jobId(), null, false, FlowJobOwner.NAME);
    }
}
