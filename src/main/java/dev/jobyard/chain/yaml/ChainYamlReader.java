package dev.jobyard.chain.yaml;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import dev.jobyard.chain.definition.ChainRequest;
import dev.jobyard.chain.definition.TaskRequest;
import dev.jobyard.common.BadInputException;
import dev.jobyard.schedule.MisfirePolicy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Reads pg_timetable's YAML ({@code chains:} with name, schedule, live, max_instances, timeout in ms,
 * self_destruct, exclusive, client_name, on_error and tasks with name, kind SQL/PROGRAM/BUILTIN, command,
 * parameters, ignore_error, autonomous, run_as, timeout in ms), plus the Jobyard fields an export adds
 * (description, timezone, queue, max_attempts, misfire_policy; a task's payload and Jobyard kind). Errors
 * name the field and the line: {@code chains[0].tasks[2].kind (line 14)}. Parsed with SnakeYAML's node
 * tree, which keeps each node's line.
 */
public final class ChainYamlReader {

    /** The chains read, and what was left out (credentials) or changed on the way. */
    public record Result(List<ChainRequest> chains, List<String> warnings, Map<String, Integer> lines) {

        /** The error of a field of this file, with the YAML line of the nearest node that has one. */
        public BadInputException locate(BadInputException e) {
            String field = e.field();
            if (field.contains("(line ")) {
                return e;
            }
            for (String path = field; !path.isEmpty(); path = parent(path)) {
                Integer line = lines.get(path);
                if (line != null) {
                    return new BadInputException(field + " (line " + line + ")", e.problem());
                }
            }
            return e;
        }

        private static String parent(String path) {
            int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
            return cut <= 0 ? "" : path.substring(0, cut);
        }
    }

    private final List<String> warnings = new ArrayList<>();
    private final Map<String, Integer> lines = new LinkedHashMap<>();

    private ChainYamlReader() {
    }

    public static Result read(String yaml) {
        ChainYamlReader reader = new ChainYamlReader();
        try {
            return new Result(reader.chains(yaml), reader.warnings, reader.lines);
        } catch (BadInputException e) {
            throw new Result(List.of(), reader.warnings, reader.lines).locate(e);
        }
    }

    private List<ChainRequest> chains(String yaml) {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            root = new Yaml(options).compose(new StringReader(yaml == null ? "" : yaml));
        } catch (YAMLException e) {
            throw new BadInputException("yaml", "is not valid YAML: " + e.getMessage().replace('\n', ' '));
        }
        if (!(root instanceof MappingNode map) || !(field(map, "chains") instanceof SequenceNode list)) {
            throw new BadInputException("yaml", "must be a mapping with a 'chains:' list");
        }
        List<ChainRequest> chains = new ArrayList<>();
        for (int i = 0; i < list.getValue().size(); i++) {
            chains.add(chain("chains[" + i + "]", list.getValue().get(i)));
        }
        return chains;
    }

    private ChainRequest chain(String at, Node node) {
        MappingNode map = mapping(at, node);
        Map<String, Node> f = fields(at, map, List.of("name", "description", "schedule", "timezone", "live", "max_instances",
                "timeout", "self_destruct", "exclusive", "client_name", "on_error", "max_attempts", "queue", "misfire_policy",
                "tasks"));
        List<TaskRequest> tasks = new ArrayList<>();
        if (f.get("tasks") != null) {
            if (!(f.get("tasks") instanceof SequenceNode seq)) {
                throw bad(at + ".tasks", f.get("tasks"), "must be a list of tasks");
            }
            for (int j = 0; j < seq.getValue().size(); j++) {
                tasks.add(task(at + ".tasks[" + j + "]", seq.getValue().get(j)));
            }
        }
        String policy = text(at + ".misfire_policy", f.get("misfire_policy"));
        MisfirePolicy misfire;
        try {
            misfire = policy == null ? null : MisfirePolicy.valueOf(policy.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw bad(at + ".misfire_policy", f.get("misfire_policy"), "must be FIRE_ONCE, SKIP or CATCH_UP");
        }
        return new ChainRequest(text(at + ".name", f.get("name")), text(at + ".description", f.get("description")),
                text(at + ".schedule", f.get("schedule")), text(at + ".timezone", f.get("timezone")),
                bool(at + ".live", f.get("live")), integer(at + ".max_instances", f.get("max_instances")),
                seconds(at + ".timeout", f.get("timeout")), bool(at + ".self_destruct", f.get("self_destruct")),
                bool(at + ".exclusive", f.get("exclusive")), text(at + ".client_name", f.get("client_name")),
                text(at + ".on_error", f.get("on_error")), integer(at + ".max_attempts", f.get("max_attempts")),
                text(at + ".queue", f.get("queue")), misfire, tasks);
    }

    private TaskRequest task(String at, Node node) {
        MappingNode map = mapping(at, node);
        Map<String, Node> f = fields(at, map, List.of("name", "kind", "command", "parameters", "ignore_error", "autonomous",
                "run_as", "timeout", "payload", "database_connection"));
        String kind = text(at + ".kind", f.get("kind"));
        String command = text(at + ".command", f.get("command"));
        JsonObject payload = f.get("payload") == null ? null : object(at + ".payload", f.get("payload"));
        List<Object> parameters = null;
        if (f.get("parameters") != null) {
            if (!(f.get("parameters") instanceof SequenceNode seq)) {
                throw bad(at + ".parameters", f.get("parameters"), "must be a list: one element per execution");
            }
            parameters = new ArrayList<>();
            for (int k = 0; k < seq.getValue().size(); k++) {
                parameters.add(json(at + ".parameters[" + k + "]", seq.getValue().get(k)));
            }
        }
        String runAs = text(at + ".run_as", f.get("run_as"));
        if (f.get("database_connection") != null) {
            throw bad(at + ".database_connection", f.get("database_connection"),
                    "connection strings are not imported; an operator configures jobyard.commands.sql.datasources.<name> and the task names it in payload.datasource");
        }
        String upper = kind == null ? "SQL" : kind.toUpperCase(java.util.Locale.ROOT);
        String jobyardKind;
        switch (upper) {
            case "SQL" -> jobyardKind = "sql";
            case "PROGRAM" -> {
                jobyardKind = "program";
                parameters = programArguments(at, parameters);
            }
            case "BUILTIN" -> {
                Builtins.Mapped mapped = Builtins.map(at, command, parameters, warnings);
                jobyardKind = mapped.kind();
                command = null;
                parameters = mapped.parameters();
            }
            default -> jobyardKind = kind; // a Jobyard kind, as an export writes it
        }
        if (runAs != null) {
            if (!"sql".equals(jobyardKind)) {
                throw bad(at + ".run_as", f.get("run_as"), "only SQL tasks have run_as");
            }
            payload = (payload == null ? new JsonObject() : payload).put("runAs", runAs);
        }
        return new TaskRequest(null, text(at + ".name", f.get("name")), jobyardKind, command, payload, parameters,
                bool(at + ".ignore_error", f.get("ignore_error")), bool(at + ".autonomous", f.get("autonomous")),
                seconds(at + ".timeout", f.get("timeout")));
    }

    /** pg_timetable gives a PROGRAM's arguments as one list (one execution) or as a list of lists. */
    private static List<Object> programArguments(String at, List<Object> parameters) {
        if (parameters == null || parameters.isEmpty() || parameters.get(0) instanceof JsonArray) {
            return parameters;
        }
        return List.of(new JsonArray(new ArrayList<>(parameters)));
    }

    // ---- nodes ----

    private Map<String, Node> fields(String at, MappingNode map, List<String> known) {
        lines.put(at, map.getStartMark().getLine() + 1);
        Map<String, Node> fields = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            String key = t.getKeyNode() instanceof ScalarNode k ? k.getValue() : null;
            if (key == null || !known.contains(key)) {
                throw bad(at, t.getKeyNode(), "unknown field '" + key + "'; known: " + String.join(", ", known));
            }
            lines.put(at + "." + key, t.getValueNode().getStartMark().getLine() + 1);
            fields.put(key, isNull(t.getValueNode()) ? null : t.getValueNode());
        }
        return fields;
    }

    private static Node field(MappingNode map, String name) {
        for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && name.equals(k.getValue())) {
                return t.getValueNode();
            }
        }
        return null;
    }

    private static MappingNode mapping(String at, Node node) {
        if (!(node instanceof MappingNode map)) {
            throw bad(at, node, "must be a mapping");
        }
        return map;
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode s && Tag.NULL.equals(s.getTag());
    }

    private static String text(String at, Node node) {
        if (node == null) {
            return null;
        }
        if (!(node instanceof ScalarNode s)) {
            throw bad(at, node, "must be a scalar");
        }
        return s.getValue();
    }

    private static Boolean bool(String at, Node node) {
        String text = text(at, node);
        if (text == null) {
            return null;
        }
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw bad(at, node, "must be true or false, got '" + text + "'");
        };
    }

    private static Integer integer(String at, Node node) {
        String text = text(at, node);
        try {
            return text == null ? null : Integer.valueOf(text.trim());
        } catch (NumberFormatException e) {
            throw bad(at, node, "must be a whole number, got '" + text + "'");
        }
    }

    /** pg_timetable's timeouts are milliseconds (0 = none); Jobyard's whole seconds, rounded up. */
    private static Integer seconds(String at, Node node) {
        Integer ms = integer(at, node);
        if (ms == null) {
            return null;
        }
        if (ms < 0) {
            throw bad(at, node, "must be >= 0 milliseconds, got " + ms);
        }
        return ms == 0 ? 0 : (int) Math.ceil(ms / 1000.0);
    }

    private static JsonObject object(String at, Node node) {
        if (!(json(at, node) instanceof JsonObject o)) {
            throw bad(at, node, "must be a mapping");
        }
        return o;
    }

    /** A node as a JSON value: mappings, lists, and scalars typed as YAML resolved them. */
    static Object json(String at, Node node) {
        if (node instanceof MappingNode map) {
            JsonObject o = new JsonObject();
            for (NodeTuple t : map.getValue()) {
                String key = t.getKeyNode() instanceof ScalarNode k ? k.getValue() : null;
                o.put(key, json(at + "." + key, t.getValueNode()));
            }
            return o;
        }
        if (node instanceof SequenceNode seq) {
            JsonArray a = new JsonArray();
            for (int i = 0; i < seq.getValue().size(); i++) {
                a.add(json(at + "[" + i + "]", seq.getValue().get(i)));
            }
            return a;
        }
        ScalarNode s = (ScalarNode) node;
        Tag tag = s.getTag();
        if (Tag.NULL.equals(tag)) {
            return null;
        }
        if (Tag.BOOL.equals(tag)) {
            return Boolean.valueOf(s.getValue());
        }
        if (Tag.INT.equals(tag)) {
            try {
                return Long.valueOf(s.getValue());
            } catch (NumberFormatException e) {
                return s.getValue();
            }
        }
        if (Tag.FLOAT.equals(tag)) {
            return Double.valueOf(s.getValue());
        }
        return s.getValue();
    }

    static BadInputException bad(String at, Node node, String problem) {
        return new BadInputException(at + (node == null ? "" : " (line " + (node.getStartMark().getLine() + 1) + ")"), problem);
    }
}
