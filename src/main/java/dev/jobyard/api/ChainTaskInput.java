package dev.jobyard.api;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;

import dev.jobyard.chain.definition.TaskRequest;

@Input("ChainTaskInput")
@Description("A task of a chain (null keeps the stored value on update).")
public class ChainTaskInput {

    @Description("Tasks run in ascending order; default: after the others (10, 20, 30...).")
    public Double order;
    public String name;
    @Description("sql (default), program, or any job kind (http, send_mail, download, copy_*, log, sleep, noop).")
    public String kind;
    @Description("sql: the statement(s); program: the program. Shorthand for the kind's payload field.")
    public String command;
    @Description("The kind's payload (for sql also runAs, datasource, maxRows).")
    public jakarta.json.JsonValue payload;
    @Description("One element per execution, in order: a JSON array for sql ($1...$n) and program (arguments), an object of payload fields for other kinds.")
    public List<jakarta.json.JsonValue> parameters;
    @Description("A failure rolls back to the task's savepoint, is logged, and the chain goes on.")
    public Boolean ignoreError;
    @Description("Runs and commits outside the chain's transaction, on a connection of its own.")
    public Boolean autonomous;
    @Description("Limit of each execution; past it the execution fails.")
    public Integer timeoutSeconds;

    TaskRequest toRequest(String at) {
        return new TaskRequest(order, name, kind, command, JsonValues.objectOf(at + ".payload", payload),
                parameters == null ? null : values(parameters), ignoreError, autonomous, timeoutSeconds);
    }

    static List<Object> values(List<jakarta.json.JsonValue> values) {
        List<Object> out = new ArrayList<>(values.size());
        for (jakarta.json.JsonValue v : values) {
            out.add(v == null || v.getValueType() == jakarta.json.JsonValue.ValueType.NULL ? null
                    : io.vertx.core.json.Json.decodeValue(v.toString()));
        }
        return out;
    }
}
