package dev.jobyard.chain.definition;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.chain.TaskPayloads;
import dev.jobyard.common.BadInputException;
import dev.jobyard.handler.JobHandler;
import dev.jobyard.schedule.expression.ScheduleExpression;
import dev.jobyard.schedule.expression.ScheduleKind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The checks of a chain's input, made before anything is written, so that refused input stores nothing.
 * Errors name the input's field: {@code input.schedule}, {@code input.tasks[2].command}, ...
 */
@ApplicationScoped
public class ChainRules {

    static final int MAX_TEXT = 100_000;
    static final int MAX_CLIENT_NAME = 200;
    /** Default distance between the orders of tasks given without one (pg_timetable's add_task delta). */
    static final double ORDER_STEP = 10;

    private final TaskPayloads payloads;

    ChainRules(TaskPayloads payloads) {
        this.payloads = payloads;
    }

    /** A task as it will be stored; parameters as JSON text. */
    public record ValidTask(double order, String name, String kind, String command, JsonObject payload,
            List<String> parameters, boolean ignoreError, boolean autonomous, Integer timeoutSeconds) {
    }

    /** The expression of a chain given at {@code at} ("input"); null and "manual" are manual. */
    public ScheduleExpression expression(String at, String expression, String timezone, OffsetDateTime anchor) {
        ScheduleExpression parsed;
        try {
            parsed = ScheduleExpression.parse(expression, timezone, anchor.toInstant());
        } catch (BadInputException e) {
            throw e.under(at);
        }
        if (parsed.kind() == ScheduleKind.ONCE && first(parsed, anchor) == null) {
            throw new BadInputException(at + ".schedule", "'" + expression + "' is in the past, so it would never fire");
        }
        return parsed;
    }

    /** The first slot from {@code now}: a one-off "now" fires at once, others strictly later. */
    public static OffsetDateTime first(ScheduleExpression expression, OffsetDateTime now) {
        return expression.nextAfter(now.toInstant().minusNanos(1000)).map(t -> t.atOffset(ZoneOffset.UTC)).orElse(null);
    }

    public static Integer atLeastOne(String field, Integer value) {
        if (value != null && value < 1) {
            throw new BadInputException(field, "must be at least 1, got " + value);
        }
        return value;
    }

    public static String text(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw new BadInputException(field, "must be at most " + max + " characters, got " + value.length());
        }
        return value;
    }

    /** All tasks of a create or a replacing update; orders default to 10, 20, 30... and must differ. */
    public List<ValidTask> tasks(String at, List<TaskRequest> tasks) {
        List<ValidTask> valid = new ArrayList<>();
        Set<Double> orders = new HashSet<>();
        for (int i = 0; i < tasks.size(); i++) {
            TaskRequest t = tasks.get(i);
            String field = at + ".tasks[" + i + "]";
            if (t == null) {
                throw new BadInputException(field, "is required");
            }
            ValidTask task = task(field, t, null, (i + 1) * ORDER_STEP);
            if (!orders.add(task.order())) {
                throw new BadInputException(field + ".order", "another task has order " + task.order());
            }
            valid.add(task);
        }
        return valid;
    }

    /**
     * One task; {@code old} gives the stored values of the fields left null (an update), {@code defaultOrder}
     * the order of a task given without one.
     */
    public ValidTask task(String at, TaskRequest t, ValidTask old, double defaultOrder) {
        String kind = t.kind() != null ? t.kind() : old != null ? old.kind() : "sql";
        JobHandler handler = payloads.handler(at + ".kind", kind);
        Double order = t.order() != null ? t.order() : old != null ? Double.valueOf(old.order()) : Double.valueOf(defaultOrder);
        if (order.isNaN() || order.isInfinite()) {
            throw new BadInputException(at + ".order", "must be a finite number");
        }
        String name = text(at + ".name", t.name() != null ? t.name() : old == null ? null : old.name(), 200);
        String command = text(at + ".command", t.command() != null ? t.command() : old == null ? null : old.command(), MAX_TEXT);
        JsonObject payload = t.payload() != null ? t.payload() : old == null ? null : old.payload();
        Integer timeout = atLeastOne(at + ".timeoutSeconds",
                t.timeoutSeconds() != null ? t.timeoutSeconds() : old == null ? null : old.timeoutSeconds());
        List<String> parameters = t.parameters() != null ? parameters(at, kind, command, payload, handler, t.parameters())
                : old != null ? old.parameters() : List.of();
        if (t.parameters() == null) {
            // Unchanged parameters must still fit a changed command or payload.
            checkAll(at, kind, command, payload, handler, parameters.stream().map(TaskRules::parse).toList());
        }
        return new ValidTask(order, name, kind, command, payload, parameters,
                t.ignoreError() != null ? t.ignoreError() : old != null && old.ignoreError(),
                t.autonomous() != null ? t.autonomous() : old != null && old.autonomous(), timeout);
    }

    /** A task's parameter sets, checked against its kind; returned as JSON text. */
    public List<String> parameters(String at, String kind, String command, JsonObject payload, JobHandler handler,
            List<Object> values) {
        checkAll(at, kind, command, payload, handler, values);
        return values.stream().map(TaskRules::encode).toList();
    }

    private void checkAll(String at, String kind, String command, JsonObject payload, JobHandler handler, List<Object> values) {
        if (values.isEmpty()) {
            payloads.validate(at, handler, kind, command, payloads.build(at, kind, command, payload, null, 0), 0, false);
            return;
        }
        for (int j = 0; j < values.size(); j++) {
            Object value = values.get(j);
            if (value == null) {
                throw new BadInputException(at + ".parameters[" + j + "]", "is null; leave parameters out to run the task once");
            }
            payloads.validate(at, handler, kind, command, payloads.build(at, kind, command, payload, value, j), j, true);
        }
    }

    /** JSON text of parameter values, and back. */
    public static final class TaskRules {
        private TaskRules() {
        }

        public static String encode(Object value) {
            if (value instanceof JsonObject o) {
                return o.encode();
            }
            if (value instanceof JsonArray a) {
                return a.encode();
            }
            return io.vertx.core.json.Json.encode(value);
        }

        public static Object parse(String text) {
            return text == null ? null : io.vertx.core.json.Json.decodeValue(text);
        }
    }
}
