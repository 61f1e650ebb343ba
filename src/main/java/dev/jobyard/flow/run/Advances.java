package dev.jobyard.flow.run;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.database.Sql;
import dev.jobyard.event.EventPublisher;
import dev.jobyard.flow.FlowDefinitions;
import dev.jobyard.job.JobChange;
import dev.jobyard.job.JobStore;

/**
 * Opens and finishes the advances of one transaction: the runs are locked (in id order) and read, and at the
 * end the planned jobs are inserted in one statement, the counters and statuses written, the jobs of runs that
 * failed or were cancelled cancelled (pgflow's orphaned-messages rule), and the events published.
 */
@ApplicationScoped
public class Advances {

    private final RunStore runs;
    private final StepStateStore states;
    private final TaskStore tasks;
    private final TaskJobs taskJobs;
    private final JobStore jobs;
    private final EventPublisher publisher;
    private final FlowEvents events;
    private final FlowDefinitions definitions;
    private final OrphanSweeper sweeper;

    Advances(RunStore runs, StepStateStore states, TaskStore tasks, TaskJobs taskJobs, JobStore jobs,
            EventPublisher publisher, FlowEvents events, FlowDefinitions definitions, OrphanSweeper sweeper) {
        this.runs = runs;
        this.states = states;
        this.tasks = tasks;
        this.taskJobs = taskJobs;
        this.jobs = jobs;
        this.publisher = publisher;
        this.events = events;
        this.definitions = definitions;
        this.sweeper = sweeper;
    }

    /** Locks the runs and opens an advance for each that is still STARTED (the others change no more). */
    List<RunAdvance> open(Sql.Tx tx, List<Long> runIds) {
        return opened(tx, runs.lock(tx, runIds));
    }

    /** Locks the runs of the unfinished tasks of these jobs and opens an advance for each that is still STARTED. */
    List<RunAdvance> openForJobs(Sql.Tx tx, List<Long> jobIds) {
        return opened(tx, runs.lockByJobs(tx, jobIds));
    }

    private List<RunAdvance> opened(Sql.Tx tx, List<FlowRun> runsLocked) {
        List<FlowRun> locked = runsLocked.stream().filter(r -> r.status() == FlowRunStatus.STARTED).toList();
        if (locked.isEmpty()) {
            return List.of();
        }
        var byRun = states.load(tx, locked.stream().map(FlowRun::id).toList());
        List<RunAdvance> advances = new ArrayList<>(locked.size());
        for (FlowRun run : locked) {
            advances.add(new RunAdvance(tx, run, definitions.byId(run.flowId()), byRun.get(run.id()), states));
        }
        return advances;
    }

    /** A new run, locked by its insert, whose step states were just inserted. */
    RunAdvance opened(Sql.Tx tx, FlowRun run, List<StepState> stepStates) {
        return new RunAdvance(tx, run, definitions.byId(run.flowId()), stepStates, states);
    }

    /**
     * Sets the outputs of the steps whose last tasks the advances completed, for all their runs in one statement,
     * and lets each run go on from there (completing those steps, starting their dependents). Called after
     * {@link RunAdvance#tasksCompleted} and before anything can end a run, by whoever completed tasks.
     */
    void completeSteps(Sql.Tx tx, List<RunAdvance> advances) {
        List<StepStateStore.CompletedStep> completed = new ArrayList<>();
        List<StepStateStore.CompletedStep> toRead = new ArrayList<>();
        for (RunAdvance advance : advances) {
            completed.addAll(advance.awaitingOutput());
            toRead.addAll(advance.outputsToRead());
        }
        Map<Long, Map<String, String>> outputs = states.setOutputsFromTasks(tx, completed);
        Map<Long, Map<String, String>> read = states.outputs(tx, toRead);
        for (RunAdvance advance : advances) {
            advance.outputsRead(read.getOrDefault(advance.run().id(), Map.of()));
            advance.outputsSet(outputs.getOrDefault(advance.run().id(), Map.of()));
        }
    }

    /**
     * Writes what the advances did: the step states of all runs in one statement, and the runs that completed in
     * one statement per flow. Returns the job changes made here that nobody announced yet (the jobs cancelled
     * because their run ended); inserted jobs are announced by their insert.
     */
    List<JobChange> finish(Sql.Tx tx, List<RunAdvance> advances) {
        List<RunAdvance.PlannedTask> planned = new ArrayList<>();
        for (RunAdvance advance : advances) {
            planned.addAll(advance.planned());
        }
        taskJobs.insert(tx, planned);
        List<FlowRunEvent> published = new ArrayList<>();
        List<StepStateStore.RunWrite> writes = new ArrayList<>();
        List<RunAdvance> failed = new ArrayList<>();
        Map<Long, List<RunAdvance>> completedByFlow = new LinkedHashMap<>();
        for (RunAdvance advance : advances) {
            RunAdvance.Flush flush = advance.flush();
            writes.add(flush.steps());
            if (advance.ending() != null) {
                failed.add(advance);
            } else if (flush.completing()) {
                completedByFlow.computeIfAbsent(advance.flow().id(), k -> new ArrayList<>()).add(advance);
            }
            published.addAll(advance.events());
        }
        states.write(tx, writes);
        for (RunAdvance advance : failed) {
            runs.end(tx, advance.run().id(), advance.ending(), advance.endError());
        }
        completedByFlow.values().forEach(same -> runs.complete(tx, same.stream().map(a -> a.run().id()).toList(),
                same.get(0).flow().finalSteps()));
        List<JobChange> cancelled = new ArrayList<>();
        for (RunAdvance advance : failed) {
            cancelled.addAll(cancelJobs(tx, advance.run().id(), "flow run " + advance.run().id() + " ended "
                    + advance.ending() + ": " + advance.endError()));
        }
        events.publish(tx, published);
        return cancelled;
    }

    /**
     * Ends the unfinished tasks of a run that failed or was cancelled: their pending jobs are cancelled and their
     * running ones asked to stop, here. A job another transaction holds right now is left to the sweeper, after
     * this commits: waiting for it here could deadlock with that transaction, which may wait for this run.
     */
    private List<JobChange> cancelJobs(Sql.Tx tx, long runId, String why) {
        List<Long> open = tasks.endQueued(tx, List.of(runId), why);
        if (open.isEmpty()) {
            return List.of();
        }
        List<JobChange> cancelled = jobs.cancelPendingNoWait(tx, open, why);
        List<Long> requested = jobs.requestCancelNoWait(tx, open, why);
        requested.forEach(id -> publisher.cancelRequested(tx, id));
        Set<Long> handled = new HashSet<>(requested);
        cancelled.forEach(c -> handled.add(c.id()));
        List<Long> skipped = open.stream().filter(id -> !handled.contains(id)).toList();
        if (!skipped.isEmpty()) {
            tx.afterCommit(() -> sweeper.sweep(skipped, why));
        }
        return cancelled;
    }
}
