package dev.jobyard.flow.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.config.JobyardConfig;
import dev.jobyard.database.Sql;
import dev.jobyard.engine.Backoff;
import dev.jobyard.flow.FlowDefinition;
import dev.jobyard.flow.StepDefinition;
import dev.jobyard.job.ClaimedJob;
import dev.jobyard.job.Job;
import dev.jobyard.job.JobChange;
import dev.jobyard.job.JobOwner;
import dev.jobyard.job.JobStatus;
import dev.jobyard.job.JobStore;

/**
 * Advances flow runs when their tasks' jobs end, in the transaction that archived the jobs: a completed job's
 * result becomes its task's output (and may complete its step, start dependents, complete the run); a failed
 * one is retried as a new job after the step's backoff while attempts remain, else it fails its step and the
 * run. Jobs of runs that already ended change nothing (a late result).
 */
@ApplicationScoped
public class FlowJobOwner implements JobOwner {

    public static final String NAME = "flow";

    private final TaskStore tasks;
    private final Advances advances;
    private final JobStore jobs;
    private final JobyardConfig config;

    FlowJobOwner(TaskStore tasks, Advances advances, JobStore jobs, JobyardConfig config) {
        this.tasks = tasks;
        this.advances = advances;
        this.jobs = jobs;
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** A task's results go to its run's writer: a run's advances then never wait for each other's lock on it. */
    @Override
    public Long writerKey(ClaimedJob job) {
        String run = job.labels() == null ? null : job.labels().getString(TaskJobs.RUN_LABEL);
        if (run == null) {
            return null;
        }
        try {
            return Long.parseLong(run);
        } catch (NumberFormatException e) {
            return null; // a plain job labelled by a user, not a task
        }
    }

    @Override
    public List<JobChange> ended(Sql.Tx tx, List<JobChange> ended) {
        // This runs in the completer's transaction, which a step's dependents wait for: they start only once it
        // commits. So the common case, every job completed, costs as few statements as it can: the runs are found
        // and locked in one, and the tasks completed in one (which skips the tasks that another transaction ended
        // meanwhile, as it checks their status under the runs' locks).
        // Its statements look rows up among tables that grow from nothing as runs start: see planForArguments.
        tx.planForArguments();
        List<Long> jobIds = ended.stream().map(JobChange::id).toList();
        Map<Long, RunAdvance> byRun = new LinkedHashMap<>();
        advances.openForJobs(tx, jobIds).forEach(a -> byRun.put(a.run().id(), a));
        if (byRun.isEmpty()) {
            return List.of();
        }
        List<Long> openRuns = List.copyOf(byRun.keySet());
        Map<Long, JobChange> changeOf = new HashMap<>();
        ended.forEach(c -> changeOf.put(c.id(), c));

        List<Long> completed = ended.stream().filter(c -> c.status() == JobStatus.COMPLETED).map(JobChange::id).toList();
        Map<Long, Map<String, Integer>> counts = new LinkedHashMap<>();
        if (!completed.isEmpty()) {
            for (FlowTask done : tasks.complete(tx, completed, openRuns)) {
                counts.computeIfAbsent(done.runId(), k -> new LinkedHashMap<>()).merge(done.stepSlug(), 1, Integer::sum);
            }
        }
        counts.forEach((run, steps) -> steps.forEach((step, n) -> byRun.get(run).tasksCompleted(step, n)));
        // The steps those tasks completed, for all runs in one statement, before any failure below ends a run.
        advances.completeSteps(tx, List.copyOf(byRun.values()));

        List<Long> notCompleted = ended.stream().filter(c -> c.status() != JobStatus.COMPLETED).map(JobChange::id).toList();
        // Read under the runs' locks: another transaction may have ended a task meanwhile.
        List<FlowTask> unsuccessful = notCompleted.isEmpty() ? List.of() : tasks.byJobs(tx, notCompleted).stream()
                .filter(t -> t.status() == FlowTaskStatus.QUEUED && byRun.containsKey(t.runId())).toList();
        Map<Long, Job> lastJobs = retriedJobs(tx, unsuccessful, changeOf, byRun);
        for (FlowTask task : unsuccessful) {
            RunAdvance advance = byRun.get(task.runId());
            JobChange change = changeOf.get(task.jobId());
            Job last = lastJobs.get(task.jobId());
            if (last != null) {
                advance.retry(task, last.payload(), delaySeconds(advance.flow(), advance.flow().step(task.stepSlug()),
                        task.attempts()), change.error());
                continue;
            }
            String error = change.status() == JobStatus.FAILED
                    ? "step '" + task.stepSlug() + "' task " + task.taskIndex() + " failed after " + task.attempts()
                            + " attempt(s): " + change.error()
                    : "step '" + task.stepSlug() + "' task " + task.taskIndex() + ": its job " + task.jobId()
                            + " was cancelled: " + change.error();
            tasks.end(tx, task.runId(), task.jobId(), FlowTaskStatus.valueOf(change.status().name()), change.error());
            advance.taskFailed(task, error);
        }
        return advances.finish(tx, new ArrayList<>(byRun.values()));
    }

    /** The jobs (with their payloads) of the failed tasks that get another attempt. */
    private Map<Long, Job> retriedJobs(Sql.Tx tx, List<FlowTask> unsuccessful, Map<Long, JobChange> changeOf,
            Map<Long, RunAdvance> byRun) {
        List<Long> retried = new ArrayList<>();
        for (FlowTask task : unsuccessful) {
            if (changeOf.get(task.jobId()).status() == JobStatus.FAILED
                    && task.attempts() < maxAttempts(byRun.get(task.runId()).flow(), task.stepSlug())) {
                retried.add(task.jobId());
            }
        }
        Map<Long, Job> byId = new HashMap<>();
        jobs.findAll(tx, retried).forEach(j -> byId.put(j.id(), j));
        return byId;
    }

    private static int maxAttempts(FlowDefinition flow, String step) {
        Integer own = flow.step(step).maxAttempts();
        return own != null ? own : flow.maxAttempts();
    }

    /**
     * The wait before attempt {@code failed + 1}: base × 2^(failed − 1) with equal jitter, capped at
     * jobyard.retry.max-delay ({@link Backoff}); the base is the step's, else the flow's, else jobyard.retry.base-delay.
     * Whole seconds, rounded up, as the job's delay on the database clock.
     */
    long delaySeconds(FlowDefinition flow, StepDefinition step, int failed) {
        Duration base = step.baseDelaySeconds() != null ? Duration.ofSeconds(step.baseDelaySeconds())
                : flow.baseDelaySeconds() != null ? Duration.ofSeconds(flow.baseDelaySeconds()) : config.retry().baseDelay();
        long millis = new Backoff(base, config.retry().maxDelay()).delayMillis(failed);
        return (millis + 999) / 1000;
    }
}
