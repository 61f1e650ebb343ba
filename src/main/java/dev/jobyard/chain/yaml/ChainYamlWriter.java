package dev.jobyard.chain.yaml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import dev.jobyard.chain.definition.ChainDefinition;
import dev.jobyard.chain.definition.ChainSchedule;
import dev.jobyard.chain.definition.ChainTask;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Writes chains as pg_timetable's YAML: its field names and units (timeouts in milliseconds), tasks in order
 * with Jobyard's kind names ({@code sql}, {@code program}, {@code log}, ...) and their payloads, and the Jobyard
 * fields pg_timetable lacks. {@link ChainYamlReader} reads it back to the same definitions.
 */
public final class ChainYamlWriter {

    private ChainYamlWriter() {
    }

    public static String write(List<ChainDefinition> chains) {
        List<Object> list = new ArrayList<>();
        for (ChainDefinition d : chains) {
            list.add(chain(d));
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("chains", list);
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndentWithIndicator(true);
        options.setIndicatorIndent(2);
        return new Yaml(options).dump(root);
    }

    private static Map<String, Object> chain(ChainDefinition d) {
        ChainSchedule s = d.schedule();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", d.chain().name);
        put(c, "description", d.chain().description);
        c.put("schedule", s.expression);
        c.put("timezone", s.timezone);
        c.put("live", d.live());
        put(c, "max_instances", s.maxInstances);
        put(c, "timeout", d.chain().timeoutSeconds == null ? null : d.chain().timeoutSeconds * 1000);
        c.put("self_destruct", s.selfDestruct);
        c.put("exclusive", s.exclusive);
        put(c, "client_name", d.chain().clientName);
        put(c, "on_error", d.chain().onError);
        c.put("max_attempts", s.maxAttempts);
        c.put("queue", s.queue);
        c.put("misfire_policy", s.misfirePolicy);
        List<Object> tasks = new ArrayList<>();
        for (ChainDefinition.TaskDefinition t : d.tasks()) {
            tasks.add(task(t));
        }
        c.put("tasks", tasks);
        return c;
    }

    private static Map<String, Object> task(ChainDefinition.TaskDefinition d) {
        ChainTask t = d.task();
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, "name", t.name);
        m.put("kind", t.kind);
        put(m, "command", t.command);
        if (t.payload != null) {
            m.put("payload", plain(new JsonObject(t.payload)));
        }
        if (!d.parameters().isEmpty()) {
            List<Object> parameters = new ArrayList<>();
            d.parameters().forEach(p -> parameters.add(plain(p)));
            m.put("parameters", parameters);
        }
        m.put("ignore_error", t.ignoreError);
        m.put("autonomous", t.autonomous);
        put(m, "timeout", t.timeoutSeconds == null ? null : t.timeoutSeconds * 1000);
        return m;
    }

    private static void put(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    /** Vert.x JSON as plain maps and lists, which SnakeYAML writes. */
    private static Object plain(Object value) {
        if (value instanceof JsonObject o) {
            Map<String, Object> map = new LinkedHashMap<>();
            o.forEach(e -> map.put(e.getKey(), plain(e.getValue())));
            return map;
        }
        if (value instanceof JsonArray a) {
            List<Object> list = new ArrayList<>();
            a.forEach(v -> list.add(plain(v)));
            return list;
        }
        if (value instanceof Map<?, ?> m) {
            return plain(new JsonObject(new LinkedHashMap<>(castMap(m))));
        }
        if (value instanceof List<?> l) {
            return plain(new JsonArray(new ArrayList<>(l)));
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }
}
