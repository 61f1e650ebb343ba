package dev.jobyard.durable.script;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.common.BadInputException;
import dev.jobyard.durable.DbChange;
import dev.jobyard.durable.DurableConfig;
import dev.jobyard.durable.DurableContext;
import dev.jobyard.durable.DurableHandler;
import dev.jobyard.durable.DurableTimeoutException;
import dev.jobyard.durable.Primitives;
import dev.jobyard.handler.HandlerRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@code durable_script}: runs {@code payload.ops} in order, each op one primitive under its {@code key}. The
 * job's result holds what each op returned, by key. A step's body logs {@code step <key> ran} each time it runs,
 * throws while the attempt is below {@code failUntilAttempt}, works {@code workMs}, and saves {@code value} (or
 * {@code {"step": key}}). A wait with {@code "catchTimeout": true} saves {@code {"timedOut": true}} instead of
 * failing the attempt when it times out.
 */
@ApplicationScoped
public class DurableScriptHandler implements DurableHandler {

    public static final String KIND = "durable_script";

    private static final Map<String, List<String>> REQUIRED = Map.of(
            "step", List.of(),
            "sleep", List.of("ms"),
            "invoke", List.of("kind"),
            "waitForEvent", List.of("event"),
            "waitForDbChange", List.of("schema", "table", "operation"),
            "emit", List.of("event"),
            "schedule", List.of("name", "expression", "kind"),
            "unschedule", List.of("name"));

    private final DurableConfig config;
    private final HandlerRegistry handlers;

    DurableScriptHandler(DurableConfig config, HandlerRegistry handlers) {
        this.config = config;
        this.handlers = handlers;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public void validate(JsonObject payload) {
        if (!(payload.getValue("ops") instanceof JsonArray ops)) {
            throw new BadInputException("payload.ops", "is required: a list of operations");
        }
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < ops.size(); i++) {
            String at = "payload.ops[" + i + "]";
            if (!(ops.getValue(i) instanceof JsonObject op)) {
                throw new BadInputException(at, "must be an object");
            }
            String name = op.getValue("op") instanceof String s ? s : null;
            if (name == null || !REQUIRED.containsKey(name)) {
                throw new BadInputException(at + ".op", "must be one of " + new java.util.TreeSet<>(REQUIRED.keySet())
                        + ", got " + op.getValue("op"));
            }
            if (!(op.getValue("key") instanceof String key) || key.isBlank() || key.length() > 200) {
                throw new BadInputException(at + ".key", "is required: 1 to 200 characters");
            }
            if (!keys.add(key)) {
                throw new BadInputException(at + ".key", "'" + key + "' is used by an earlier op; keys are unique");
            }
            for (String field : REQUIRED.get(name)) {
                if (op.getValue(field) == null) {
                    throw new BadInputException(at + "." + field, "is required for op " + name);
                }
            }
            for (String number : List.of("ms", "timeoutMs", "workMs", "failUntilAttempt", "maxAttempts")) {
                if (op.containsKey(number) && !(op.getValue(number) instanceof Number n && n.longValue() >= 0)) {
                    throw new BadInputException(at + "." + number, "must be a number >= 0, got " + op.getValue(number));
                }
            }
            for (String text : List.of("kind", "event", "name", "expression", "schema", "table", "operation", "queue")) {
                if (op.containsKey(text) && !(op.getValue(text) instanceof String)) {
                    throw new BadInputException(at + "." + text, "must be a string, got " + op.getValue(text));
                }
            }
            if (!name.equals("emit") && op.containsKey("payload") && !(op.getValue("payload") instanceof JsonObject)) {
                throw new BadInputException(at + ".payload", "must be a JSON object");
            }
            if (op.containsKey("columns") && !(op.getValue("columns") instanceof JsonArray columns
                    && columns.stream().allMatch(c -> c instanceof String))) {
                throw new BadInputException(at + ".columns", "must be a list of column names");
            }
            if (name.equals("invoke")) {
                handlers.require(at + ".kind", op.getString("kind"));
            }
            if (name.equals("waitForDbChange")) {
                Primitives.checkDbChange(at, dbChange(op), config);
            }
        }
    }

    @Override
    public Object run(DurableContext ctx) throws Exception {
        JsonArray ops = ctx.payload().getJsonArray("ops");
        JsonObject results = new JsonObject();
        for (int i = 0; i < ops.size(); i++) {
            JsonObject op = ops.getJsonObject(i);
            String key = op.getString("key");
            results.put(key, runOp(ctx, op, key));
        }
        return results;
    }

    private static Object runOp(DurableContext ctx, JsonObject op, String key) throws Exception {
        switch (op.getString("op")) {
            case "step":
                return ctx.step(key, () -> {
                    ctx.log("INFO", "step " + key + " ran", null);
                    int failUntil = op.getInteger("failUntilAttempt", 0);
                    if (ctx.attempt() < failUntil) {
                        throw new IllegalStateException("step " + key + " fails until attempt " + failUntil
                                + " (this is attempt " + ctx.attempt() + ")");
                    }
                    long work = op.getLong("workMs", 0L);
                    if (work > 0) {
                        Thread.sleep(work);
                    }
                    return op.containsKey("value") ? op.getValue("value") : new JsonObject().put("step", key);
                });
            case "sleep":
                ctx.sleep(key, Duration.ofMillis(op.getLong("ms")));
                return null;
            case "invoke":
                return timed(op, () -> ctx.invoke(key, new DurableContext.Invocation(op.getString("kind"),
                        op.getJsonObject("payload", new JsonObject()), op.getString("queue"), op.getInteger("maxAttempts"),
                        timeout(op))));
            case "waitForEvent":
                return timed(op, () -> ctx.waitForEvent(key, op.getString("event"), timeout(op)));
            case "waitForDbChange":
                return timed(op, () -> ctx.waitForDbChange(key, dbChange(op), timeout(op)));
            case "emit":
                ctx.emit(key, op.getString("event"), op.getValue("payload"));
                return null;
            case "schedule":
                ctx.schedule(key, op.getString("name"), op.getString("expression"), op.getString("kind"),
                        op.getJsonObject("payload", new JsonObject()));
                return null;
            case "unschedule":
                ctx.unschedule(key, op.getString("name"));
                return null;
            default:
                throw new IllegalStateException("unknown op " + op.getString("op"));
        }
    }

    private interface Wait {
        Object call() throws DurableTimeoutException;
    }

    private static Object timed(JsonObject op, Wait wait) throws DurableTimeoutException {
        try {
            return wait.call();
        } catch (DurableTimeoutException e) {
            if (op.getBoolean("catchTimeout", false)) {
                return new JsonObject().put("timedOut", true);
            }
            throw e;
        }
    }

    private static Duration timeout(JsonObject op) {
        return op.getValue("timeoutMs") instanceof Number n ? Duration.ofMillis(n.longValue()) : null;
    }

    private static DbChange dbChange(JsonObject op) {
        JsonArray columns = op.getJsonArray("columns", new JsonArray());
        return new DbChange(op.getString("schema"), op.getString("table"), op.getString("operation"),
                columns.stream().map(String::valueOf).toList());
    }
}
