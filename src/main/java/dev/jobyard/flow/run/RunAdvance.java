package dev.jobyard.flow.run;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.jobyard.database.Sql;
import dev.jobyard.flow.FlowDefinition;
import dev.jobyard.flow.StepDefinition;
import dev.jobyard.flow.StepType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The changes to one run within one transaction that holds the run's lock: steps started (their tasks
 * planned), tasks completed or failed, steps completed with their dependents evaluated at once (so empty
 * maps cascade), the run completed or failed. The statements that every run of a completer batch needs (its
 * completed steps' outputs, its counters and statuses, its completion) are made by {@link Advances} for all the
 * runs together: a step whose last task completed waits in {@link #awaitingOutput} until its output is set, and
 * {@link #flush} says what to write. The jobs planned here are inserted by the caller, for all runs together.
 */
final class RunAdvance {

    /** A job to insert for task {@code index} of {@code step}; {@code retried} is the task it retries, else null. */
    record PlannedTask(RunAdvance run, StepDefinition step, int index, JsonObject payload, long delaySeconds,
            FlowTask retried, String retriedError) {
    }

    private final Sql.Tx tx;
    private final FlowRun run;
    private final FlowDefinition flow;
    private final StepStateStore states;
    private final Map<String, StepState> steps = new LinkedHashMap<>();
    private final Map<String, List<String>> dependents;
    private final Set<String> changed = new LinkedHashSet<>();
    // Steps whose last task completed, in order, until Advances sets their outputs (see outputsSet).
    private final List<String> awaitingOutput = new ArrayList<>();
    private final Map<String, Object> outputs = new HashMap<>();
    private final List<PlannedTask> planned = new ArrayList<>();
    private final List<FlowRunEvent> events = new ArrayList<>();
    private Object input;
    private boolean inputRead;
    private int stepsCompleted;
    private FlowRunStatus ending;
    private String endError;

    RunAdvance(Sql.Tx tx, FlowRun run, FlowDefinition flow, List<StepState> current, StepStateStore states) {
        this.tx = tx;
        this.run = run;
        this.flow = flow;
        this.states = states;
        current.forEach(s -> steps.put(s.stepSlug(), s));
        this.dependents = flow.dependents();
    }

    FlowRun run() {
        return run;
    }

    FlowDefinition flow() {
        return flow;
    }

    /** FAILED or CANCELLED when this transaction ends the run that way, else null. */
    FlowRunStatus ending() {
        return ending;
    }

    String endError() {
        return endError;
    }

    List<PlannedTask> planned() {
        return ending == null ? planned : List.of();
    }

    List<FlowRunEvent> events() {
        return events;
    }

    /** Starts a new run: RUN_STARTED, then every step that waits for nothing (the root steps). */
    void startRun() {
        events.add(event(FlowRunEventType.RUN_STARTED, null));
        for (StepDefinition step : flow.steps()) {
            StepState s = steps.get(step.slug());
            if (ending == null && s.status() == FlowStepStatus.CREATED && s.remainingDeps() == 0) {
                start(step);
            }
        }
    }

    /** {@code count} more tasks of {@code slug} completed (their outputs are stored). */
    void tasksCompleted(String slug, int count) {
        StepState s = steps.get(slug);
        if (ending != null || s.status() != FlowStepStatus.STARTED) {
            return;
        }
        int remaining = s.remainingTasks() - count;
        set(with(s, FlowStepStatus.STARTED, s.remainingDeps(), s.initialTasks(), remaining, null));
        if (remaining == 0) {
            awaitingOutput.add(slug);
        }
    }

    /** The steps whose outputs are to be set from their tasks before this run can go on. */
    List<StepStateStore.CompletedStep> awaitingOutput() {
        return ending != null ? List.of() : awaitingOutput.stream()
                .map(slug -> new StepStateStore.CompletedStep(run.id(), slug, flow.step(slug).type() == StepType.MAP))
                .toList();
    }

    /**
     * The outputs of steps completed in earlier transactions that the steps about to start (once those of
     * {@link #awaitingOutput} complete) will read: read for all runs together before {@link #outputsSet}, so that a
     * join step does not read its other dependencies' outputs run by run.
     */
    List<StepStateStore.CompletedStep> outputsToRead() {
        if (ending != null || awaitingOutput.isEmpty()) {
            return List.of();
        }
        Set<String> completing = new LinkedHashSet<>(awaitingOutput);
        Set<String> needed = new LinkedHashSet<>();
        for (String slug : awaitingOutput) {
            for (String dependent : dependents.get(slug)) {
                StepDefinition step = flow.step(dependent);
                long completingDeps = step.dependsOn().stream().filter(completing::contains).count();
                if (steps.get(dependent).status() == FlowStepStatus.CREATED
                        && steps.get(dependent).remainingDeps() - completingDeps <= 0) {
                    step.dependsOn().stream().filter(dep -> !completing.contains(dep) && !outputs.containsKey(dep))
                            .forEach(needed::add);
                }
            }
        }
        return needed.stream().map(slug -> new StepStateStore.CompletedStep(run.id(), slug, false)).toList();
    }

    /** Outputs read for {@link #outputsToRead}. */
    void outputsRead(Map<String, String> stored) {
        stored.forEach((slug, output) -> outputs.put(slug, TaskInputs.decode(output)));
    }

    /** The outputs of {@link #awaitingOutput} are set: those steps complete, and their dependents are evaluated. */
    void outputsSet(Map<String, String> stored) {
        List<String> completing = List.copyOf(awaitingOutput);
        awaitingOutput.clear();
        for (String slug : completing) {
            if (ending == null) {
                complete(flow.step(slug), stored.get(slug));
            }
        }
    }

    /** A task's last attempt failed (or its job was cancelled): its step and the run fail. */
    void taskFailed(FlowTask task, String error) {
        if (ending != null) {
            return;
        }
        failStep(task.stepSlug(), error);
    }

    /** Plans another attempt of {@code task}, after {@code delaySeconds}, with the payload its last job had. */
    void retry(FlowTask task, JsonObject payload, long delaySeconds, String error) {
        if (ending == null) {
            planned.add(new PlannedTask(this, flow.step(task.stepSlug()), task.taskIndex(), payload, delaySeconds, task,
                    error));
        }
    }

    /** Ends the run as CANCELLED (cancelFlowRun). */
    void cancel(String reason) {
        endRun(FlowRunStatus.CANCELLED, reason);
    }

    private void start(StepDefinition step) {
        StepState s = steps.get(step.slug());
        events.add(event(FlowRunEventType.STEP_STARTED, step.slug()));
        if (step.type() == StepType.SINGLE) {
            Map<String, Object> deps = new HashMap<>();
            for (String dep : step.dependsOn()) {
                deps.put(dep, output(dep));
            }
            set(with(s, FlowStepStatus.STARTED, 0, 1, 1, null));
            planned.add(new PlannedTask(this, step, 0, TaskInputs.single(step, input(), deps), startDelay(step), null, null));
            return;
        }
        String source = step.isRoot() ? null : step.dependsOn().get(0);
        Object array = source == null ? input() : output(source);
        if (!(array instanceof JsonArray elements)) {
            // pgflow's type violation: the producer's output stays as it is, the map step and the run fail at once.
            set(with(s, FlowStepStatus.STARTED, 0, null, null, null));
            failStep(step.slug(), "step '" + step.slug() + "' maps over an array, but "
                    + (source == null ? "the run's input" : "the output of step '" + source + "'") + " is "
                    + article(TaskInputs.typeOf(array)));
            return;
        }
        set(with(s, FlowStepStatus.STARTED, 0, elements.size(), elements.size(), null));
        if (elements.isEmpty()) {
            // Nothing to run: complete now, and so evaluate its dependents in this same transaction.
            complete(step, states.setOutputsFromTasks(tx, List.of(new StepStateStore.CompletedStep(run.id(), step.slug(),
                    true))).getOrDefault(run.id(), Map.of()).get(step.slug()));
            return;
        }
        long delay = startDelay(step);
        for (int i = 0; i < elements.size(); i++) {
            planned.add(new PlannedTask(this, step, i, TaskInputs.element(step, elements, i), delay, null, null));
        }
    }

    private void complete(StepDefinition step, String output) {
        StepState s = steps.get(step.slug());
        set(with(s, FlowStepStatus.COMPLETED, 0, s.initialTasks(), 0, null));
        outputs.put(step.slug(), TaskInputs.decode(output));
        stepsCompleted++;
        events.add(event(FlowRunEventType.STEP_COMPLETED, step.slug()));
        for (String slug : dependents.get(step.slug())) {
            StepState d = steps.get(slug);
            int deps = d.remainingDeps() - 1;
            set(with(d, d.status(), deps, d.initialTasks(), d.remainingTasks(), null));
            if (deps == 0 && d.status() == FlowStepStatus.CREATED && ending == null) {
                start(flow.step(slug));
            }
        }
    }

    private void failStep(String slug, String error) {
        StepState s = steps.get(slug);
        set(with(s, FlowStepStatus.FAILED, s.remainingDeps(), s.initialTasks(), s.remainingTasks(), error));
        events.add(event(FlowRunEventType.STEP_FAILED, slug));
        endRun(FlowRunStatus.FAILED, error);
    }

    private void endRun(FlowRunStatus status, String error) {
        if (ending == null) {
            ending = status;
            endError = error;
        }
    }

    /** What {@link #flush} says to write for this run: its changed steps, and whether it completes (see {@link #ending}). */
    record Flush(StepStateStore.RunWrite steps, boolean completing) {
    }

    /** What changed, to be written by {@link Advances} together with the other runs' (events are added here). */
    Flush flush() {
        if (ending != null) {
            for (StepState s : List.copyOf(steps.values())) {
                if (!s.status().isFinal()) {
                    set(with(s, FlowStepStatus.CANCELLED, s.remainingDeps(), s.initialTasks(), s.remainingTasks(), null));
                }
            }
        }
        boolean completing = ending == null && stepsCompleted > 0 && stepsCompleted == run.remainingSteps();
        StepStateStore.RunWrite write = new StepStateStore.RunWrite(run.id(), changed.stream().map(steps::get).toList(),
                ending == null && !completing ? stepsCompleted : 0);
        if (ending != null) {
            events.add(event(ending == FlowRunStatus.FAILED ? FlowRunEventType.RUN_FAILED : FlowRunEventType.RUN_CANCELLED, null));
        } else if (completing) {
            events.add(event(FlowRunEventType.RUN_COMPLETED, null));
        }
        return new Flush(write, completing);
    }

    private Object input() {
        if (!inputRead) {
            input = TaskInputs.decode(run.input());
            inputRead = true;
        }
        return input;
    }

    private Object output(String slug) {
        if (!outputs.containsKey(slug)) {
            // Completed in an earlier transaction: read the dependencies' outputs still missing, in one statement.
            List<String> missing = new ArrayList<>();
            for (StepState s : steps.values()) {
                if (s.status() == FlowStepStatus.COMPLETED && !outputs.containsKey(s.stepSlug())) {
                    missing.add(s.stepSlug());
                }
            }
            missing.retainAll(neededOutputs());
            if (!missing.contains(slug)) {
                missing.add(slug);
            }
            states.outputs(tx, run.id(), missing).forEach((k, v) -> outputs.put(k, TaskInputs.decode(v)));
        }
        return outputs.get(slug);
    }

    /** The steps whose outputs a step that can still start would read. */
    private Set<String> neededOutputs() {
        Set<String> needed = new LinkedHashSet<>();
        for (StepDefinition step : flow.steps()) {
            if (steps.get(step.slug()).status() == FlowStepStatus.CREATED) {
                needed.addAll(step.dependsOn());
            }
        }
        return needed;
    }

    private long startDelay(StepDefinition step) {
        return step.startDelaySeconds() == null ? 0 : step.startDelaySeconds();
    }

    private void set(StepState s) {
        steps.put(s.stepSlug(), s);
        changed.add(s.stepSlug());
    }

    private static StepState with(StepState s, FlowStepStatus status, int deps, Integer initial, Integer remaining,
            String error) {
        return new StepState(s.runId(), s.stepSlug(), s.stepIndex(), status, deps, initial, remaining, null,
                error == null ? s.error() : error, s.startedAt(), s.endedAt());
    }

    private FlowRunEvent event(FlowRunEventType type, String step) {
        return new FlowRunEvent(type, run.id(), run.flowSlug(), step, OffsetDateTime.now(), flow.queue());
    }

    private static String article(String type) {
        return type.equals("null") ? "null" : (type.equals("object") || type.equals("array") ? "an " : "a ") + type;
    }
}
