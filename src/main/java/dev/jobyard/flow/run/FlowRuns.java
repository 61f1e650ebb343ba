package dev.jobyard.flow.run;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.access.QueueGrants;
import dev.jobyard.common.BadInputException;
import dev.jobyard.common.ConflictException;
import dev.jobyard.common.NotFoundException;
import dev.jobyard.config.JobyardConfig;
import dev.jobyard.database.Sql;
import dev.jobyard.event.EventPublisher;
import dev.jobyard.flow.FlowDefinition;
import dev.jobyard.flow.FlowDefinitions;
import dev.jobyard.flow.StepDefinition;
import dev.jobyard.flow.StepType;
import dev.jobyard.job.JobChange;
import dev.jobyard.observability.JobMetrics;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;

/** The rules for starting and cancelling runs, and reading them. Bad input throws and changes nothing. */
@ApplicationScoped
public class FlowRuns {

    static final int MAX_KEY = 200;
    static final int MAX_REASON = 1000;

    private final Sql sql;
    private final FlowDefinitions definitions;
    private final RunStore runs;
    private final StepStateStore states;
    private final TaskStore tasks;
    private final Advances advances;
    private final EventPublisher publisher;
    private final JobMetrics metrics;
    private final JobyardConfig config;

    FlowRuns(Sql sql, FlowDefinitions definitions, RunStore runs, StepStateStore states, TaskStore tasks,
            Advances advances, EventPublisher publisher, JobMetrics metrics, JobyardConfig config) {
        this.sql = sql;
        this.definitions = definitions;
        this.runs = runs;
        this.states = states;
        this.tasks = tasks;
        this.advances = advances;
        this.publisher = publisher;
        this.metrics = metrics;
        this.config = config;
    }

    /**
     * Starts a run of flow {@code slug} with {@code input} (JSON text of any value), or returns the run that
     * already has {@code idempotencyKey}. Root steps start in this transaction, and empty root maps cascade, so
     * the run may be COMPLETED when this returns.
     */
    public FlowRun start(String slug, String input, String idempotencyKey) {
        return start(slug, input, idempotencyKey, QueueGrants.ALL);
    }

    /** As {@link #start(String, String, String)}, for a caller granted these queues: a flow of another is NOT_FOUND. */
    public FlowRun start(String slug, String input, String idempotencyKey, QueueGrants granted) {
        FlowDefinition flow = definitions.find(slug).filter(f -> granted.allows(f.queue()))
                .orElseThrow(() -> new NotFoundException("flow", "'" + slug + "'"));
        String json = input == null ? "null" : input;
        checkInput(flow, json);
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_KEY
                || idempotencyKey.indexOf('\0') >= 0)) {
            throw new BadInputException("idempotencyKey", "must be 1 to " + MAX_KEY + " characters without NUL");
        }
        long id = sql.inTransaction(tx -> {
            Optional<FlowRun> inserted = runs.insert(tx, flow.id(), flow.slug(), json, flow.steps().size(), idempotencyKey);
            if (inserted.isEmpty()) {
                return runs.byKey(tx, flow.id(), idempotencyKey).orElseThrow().id();
            }
            FlowRun run = inserted.get();
            List<StepState> initial = new ArrayList<>();
            for (StepDefinition step : flow.steps()) {
                initial.add(new StepState(run.id(), step.slug(), step.index(), FlowStepStatus.CREATED,
                        step.dependsOn().size(), null, null, null, null, null, null));
            }
            states.insert(tx, run.id(), initial);
            RunAdvance advance = advances.opened(tx, run, initial);
            advance.startRun();
            announce(tx, advances.finish(tx, List.of(advance)));
            return run.id();
        });
        return runs.find(id).orElseThrow();
    }

    /** Cancels a STARTED run: its pending task jobs end CANCELLED, its running ones are asked to stop. */
    public FlowRun cancel(String runId, String reason) {
        long id = parseId(runId);
        if (reason != null && (reason.length() > MAX_REASON || reason.indexOf('\0') >= 0)) {
            throw new BadInputException("reason", "must be at most " + MAX_REASON + " characters without NUL");
        }
        String why = reason == null || reason.isBlank() ? "cancelled by request" : reason;
        sql.inTransaction(tx -> {
            List<RunAdvance> open = advances.open(tx, List.of(id));
            if (open.isEmpty()) {
                FlowRun run = runs.find(tx, id).orElseThrow(() -> new NotFoundException("flow run", id));
                throw new ConflictException("flow run " + id + " already ended " + run.status() + " and cannot be cancelled");
            }
            open.get(0).cancel(why);
            announce(tx, advances.finish(tx, open));
            return null;
        });
        return runs.find(id).orElseThrow();
    }

    public Optional<FlowRun> find(String runId) {
        return runs.find(parseId(runId));
    }

    /** Runs newest first, of the flows whose queue is {@code granted}. */
    public List<FlowRun> list(String flowSlug, FlowRunStatus status, long beforeId, int limit, QueueGrants granted) {
        return runs.list(flowSlug, status, beforeId, limit, granted.all() ? null : granted.likePatterns());
    }

    /** The queue of the run's flow (all its jobs'); empty for an unknown run. */
    public Optional<String> queueOf(FlowRun run) {
        return definitions.find(run.flowId()).map(FlowDefinition::queue);
    }

    public List<StepState> steps(long runId) {
        return states.forRun(runId);
    }

    public List<FlowTask> tasks(long runId) {
        return tasks.forRun(runId);
    }

    private void announce(Sql.Tx tx, List<JobChange> changes) {
        if (!changes.isEmpty()) {
            metrics.changed(tx, changes);
            OffsetDateTime now = OffsetDateTime.now();
            publisher.jobEvents(tx, changes.stream().map(c -> c.toEvent(now)).toList());
        }
    }

    private void checkInput(FlowDefinition flow, String json) {
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        int max = config.limits().maxPayloadBytes();
        if (bytes > max) {
            throw new BadInputException("input", "is " + bytes + " bytes; the limit is " + max + " (jobyard.limits.max-payload-bytes)");
        }
        if (json.contains("\\u0000")) {
            throw new BadInputException("input", "must not contain the NUL character (U+0000)");
        }
        for (StepDefinition step : flow.steps()) {
            if (step.type() == StepType.MAP && step.isRoot()) {
                Object value = Json.decodeValue(json);
                if (!(value instanceof JsonArray)) {
                    throw new BadInputException("input", "root step '" + step.slug() + "' of flow '" + flow.slug()
                            + "' maps over the run's input, so it must be an array, got " + TaskInputs.typeOf(value));
                }
                return;
            }
        }
    }

    static long parseId(String id) {
        try {
            long value = Long.parseLong(id.trim());
            if (value <= 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (RuntimeException e) {
            throw new BadInputException("id", "'" + id + "' is not a flow run id");
        }
    }
}
