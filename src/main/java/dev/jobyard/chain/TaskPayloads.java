package dev.jobyard.chain;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.common.BadInputException;
import dev.jobyard.handler.HandlerRegistry;
import dev.jobyard.handler.JobHandler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What one execution of a task runs: the kind's payload, with the command as its shorthand and one
 * parameter set filled in, as pg_timetable passes them. {@code sql}: command is {@code payload.sql} and a
 * parameter set is a JSON array bound as {@code $1…$n}. {@code program}: command is {@code payload.command}
 * and a parameter set is the argument list. Any other kind: a parameter set is a JSON object whose fields
 * are set on the payload. The same rules check a definition when it is saved and build each execution
 * when a run reaches it, so the two always agree.
 */
@ApplicationScoped
public class TaskPayloads {

    /** The kind of a chain run itself: never a task's kind (a chain does not start chains in-process). */
    public static final String CHAIN_KIND = "chain";
    private static final Set<String> COMMAND_KINDS = Set.of("sql", "program");

    private final HandlerRegistry handlers;

    TaskPayloads(HandlerRegistry handlers) {
        this.handlers = handlers;
    }

    /** The handler a task's kind runs on; {@code field} names the kind in errors. */
    public JobHandler handler(String field, String kind) {
        if (CHAIN_KIND.equals(kind)) {
            throw new BadInputException(field, "a chain task cannot be of kind 'chain'");
        }
        return handlers.require(field, kind);
    }

    /**
     * The payload of one execution; {@code parameter} null for a task without parameters. Errors name
     * {@code at.command}, {@code at.parameters[index]} or {@code at.payload.<field>}.
     */
    public JsonObject build(String at, String kind, String command, JsonObject payload, Object parameter, int index) {
        JsonObject built = payload == null ? new JsonObject() : payload.copy();
        if (command != null) {
            switch (kind) {
                case "sql" -> built.put("sql", command);
                case "program" -> built.put("command", command);
                default -> throw new BadInputException(at + ".command", "only sql and program tasks have a command; give a "
                        + kind + " task's fields in payload");
            }
        }
        if (parameter == null) {
            return built;
        }
        String field = at + ".parameters[" + index + "]";
        if (COMMAND_KINDS.contains(kind)) {
            if (!(parameter instanceof JsonArray array)) {
                throw new BadInputException(field, "a " + kind + " task's parameter set is a JSON array ("
                        + ("sql".equals(kind) ? "$1…$n" : "the program's arguments") + "), got " + describe(parameter));
            }
            built.put("sql".equals(kind) ? "params" : "args", array.copy());
        } else if (parameter instanceof JsonObject object) {
            object.forEach(e -> built.put(e.getKey(), e.getValue()));
        } else {
            throw new BadInputException(field, "a " + kind + " task's parameter set is a JSON object of payload fields, got "
                    + describe(parameter));
        }
        return built;
    }

    /** Checks one execution's payload with the kind's own rules, naming the task's fields. */
    public void validate(String at, JobHandler handler, String kind, String command, JsonObject built, int index,
            boolean hasParameter) {
        try {
            handler.validate(built);
        } catch (BadInputException e) {
            throw rename(at, kind, command, e, index, hasParameter);
        }
    }

    private static BadInputException rename(String at, String kind, String command, BadInputException e, int index,
            boolean hasParameter) {
        String field = e.field();
        if ("kind".equals(field)) {
            return new BadInputException(at + ".kind", e.problem());
        }
        if (command != null && ("sql".equals(kind) && field.equals("payload.sql")
                || "program".equals(kind) && field.equals("payload.command"))) {
            return new BadInputException(at + ".command", e.problem());
        }
        if (hasParameter && (field.startsWith("payload.params") || field.startsWith("payload.args"))) {
            return new BadInputException(at + ".parameters[" + index + "]", e.problem());
        }
        return e.under(at);
    }

    private static String describe(Object value) {
        if (value instanceof JsonObject) {
            return "an object";
        }
        if (value instanceof JsonArray) {
            return "an array";
        }
        return value instanceof String ? "a string" : String.valueOf(value);
    }
}
