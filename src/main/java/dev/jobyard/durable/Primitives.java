package dev.jobyard.durable;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.common.BadInputException;
import dev.jobyard.common.ConflictException;
import dev.jobyard.database.Sql;
import dev.jobyard.durable.store.StepStore;
import dev.jobyard.durable.store.Wait;
import dev.jobyard.durable.store.WaitStore;
import dev.jobyard.durable.wake.ChildJobs;
import dev.jobyard.durable.wake.DurableEvents;
import dev.jobyard.handler.HangUp;
import dev.jobyard.job.Fence;
import dev.jobyard.schedule.ScheduleRequest;
import dev.jobyard.schedule.ScheduleService;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * What each primitive does to the database the first time it runs (a replay finds its result saved and does
 * nothing): saves a step fenced by the attempt's claim, or builds the {@link HangUp} whose writes record the wait
 * in the parking transaction.
 */
@ApplicationScoped
public class Primitives {

    static final Set<String> OPERATIONS = Set.of("insert", "update", "delete");

    private final Sql sql;
    private final StepStore steps;
    private final WaitStore waits;
    private final ChildJobs children;
    private final DurableEvents events;
    private final ScheduleService schedules;
    private final DurableConfig config;

    Primitives(Sql sql, StepStore steps, WaitStore waits, ChildJobs children, DurableEvents events,
            ScheduleService schedules, DurableConfig config) {
        this.sql = sql;
        this.steps = steps;
        this.waits = waits;
        this.children = children;
        this.events = events;
        this.schedules = schedules;
        this.config = config;
    }

    /** A value as JSON gives it back, so that the first run sees what a replay will. */
    static Object normalize(Object value) {
        return value == null ? null : Json.decodeValue(Json.encode(value));
    }

    /** Saves a step's result; returns the result saved under the key (another attempt's, if it was first). */
    Object saveStep(Fence fence, String key, String type, Object value) {
        return Json.decodeValue(steps.saveFenced(sql, fence, key, type, Json.encode(value)).result());
    }

    HangUp sleep(long jobId, String key, long millis, boolean first) {
        return HangUp.pending(millis, (tx, fence) -> {
            if (first) {
                steps.saveSleep(tx, jobId, key, millis);
            }
            waits.record(tx, new Wait(jobId, Wait.SLEEP, key, null, null, null, null, null, null), millis);
            return List.of();
        });
    }

    HangUp invoke(long jobId, String queue, String key, DurableContext.Invocation invocation) {
        children.check(invocation);
        return HangUp.waiting((tx, fence) -> {
            long child = children.create(tx, jobId, queue, key, invocation);
            waits.record(tx, new Wait(jobId, Wait.INVOKE, key, null, null, child, null, null, null),
                    millis(invocation.timeout()));
            return List.of();
        });
    }

    HangUp waitForEvent(long jobId, String key, String name, Duration timeout) {
        DurableEvents.checkName("waitForEvent.name", name);
        return HangUp.waiting((tx, fence) -> {
            waits.record(tx, new Wait(jobId, Wait.EVENT, key, null, name, null, null, null, null), millis(timeout));
            return List.of();
        });
    }

    HangUp waitForDbChange(long jobId, String key, DbChange change, Duration timeout) {
        checkDbChange("waitForDbChange", change, config);
        return HangUp.waiting((tx, fence) -> {
            waits.record(tx, new Wait(jobId, Wait.DB_CHANGE, key, null, null, null, change.qualifiedTable(),
                    change.operation().toLowerCase(), change.columns()), millis(timeout));
            return List.of();
        });
    }

    /** Refuses a row change on a table the operator did not allow, or an unknown operation. */
    public static void checkDbChange(String field, DbChange change, DurableConfig config) {
        List<String> allowed = config.dbEvents().tables().orElse(List.of());
        if (change.schema() == null || change.table() == null || !allowed.contains(change.qualifiedTable())) {
            throw new BadInputException(field + ".table", "'" + change.qualifiedTable()
                    + "' is not among the tables allowed by jobyard.durable.db-events.tables: " + allowed);
        }
        if (change.operation() == null || !OPERATIONS.contains(change.operation().toLowerCase())) {
            throw new BadInputException(field + ".operation", "must be insert, update or delete, got '"
                    + change.operation() + "'");
        }
    }

    /** Emits once: the step and the event (with the tasks it wakes) commit together, or neither does. */
    void emit(Fence fence, String key, String name, Object payload) {
        DurableEvents.checkName("emit.name", name);
        String json = Json.encode(payload);
        sql.inTransaction(tx -> {
            if (steps.saveFenced(tx, fence, key, "emit", json).inserted()) {
                events.emitIn(tx, name, json);
            }
            return null;
        });
    }

    /**
     * Creates (or replaces) a schedule, then saves the step. A crash between the two creates it again on replay,
     * which replaces it with the same.
     */
    void schedule(Fence fence, String key, String name, String expression, String kind, JsonObject payload) {
        ScheduleRequest request = new ScheduleRequest(name, null, expression, null, kind, payload, null, null, null,
                null, null, null, null, null);
        var existing = schedules.find(null, name);
        try {
            var saved = existing.isPresent() ? schedules.update(String.valueOf(existing.get().id()), request)
                    : schedules.create(request);
            saveStep(fence, key, "schedule", new JsonObject().put("scheduleId", String.valueOf(saved.id())));
        } catch (ConflictException e) {
            // Created by someone else between find and create: replace it.
            var saved = schedules.update(String.valueOf(schedules.find(null, name).orElseThrow().id()), request);
            saveStep(fence, key, "schedule", new JsonObject().put("scheduleId", String.valueOf(saved.id())));
        }
    }

    void unschedule(Fence fence, String key, String name) {
        var existing = schedules.find(null, name);
        existing.ifPresent(s -> schedules.delete(String.valueOf(s.id())));
        saveStep(fence, key, "unschedule", new JsonObject().put("deleted", existing.isPresent()));
    }

    private static Long millis(Duration timeout) {
        return timeout == null ? null : timeout.toMillis();
    }
}
