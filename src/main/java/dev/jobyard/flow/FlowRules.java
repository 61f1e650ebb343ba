package dev.jobyard.flow;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.common.BadInputException;
import dev.jobyard.config.JobyardConfig;
import dev.jobyard.handler.HandlerRegistry;
import dev.jobyard.job.DependencyGraph;
import dev.jobyard.queue.QueueNames;
import io.vertx.core.json.JsonObject;

/**
 * Checks a flow definition before anything is stored: every error names its field under {@code input}
 * (e.g. {@code input.steps[2].dependsOn}) and says what is wrong.
 */
@ApplicationScoped
public class FlowRules {

    /** Most steps in one flow: a run's state is read whole when one of its tasks ends. */
    public static final int MAX_STEPS = 100;
    public static final int MAX_DESCRIPTION = 10_000;
    /** pgflow's slug rule: an identifier, so it can be a key of a task's input. */
    private static final Pattern SLUG = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    /** Keys of a task's input that the flow fills in, so a static payload may not use them. */
    static final String RUN_KEY = "run";
    static final String ELEMENT_KEY = "input";
    static final String INDEX_KEY = "index";

    private final HandlerRegistry handlers;
    private final JobyardConfig config;

    FlowRules(HandlerRegistry handlers, JobyardConfig config) {
        this.handlers = handlers;
        this.config = config;
    }

    /** The definition to store, with defaults filled in; throws {@link BadInputException} on the first broken rule. */
    public FlowDefinition check(FlowRequest r) {
        String slug = slug("input.slug", r.slug());
        if (r.description() != null && r.description().length() > MAX_DESCRIPTION) {
            throw new BadInputException("input.description", "must be at most " + MAX_DESCRIPTION + " characters");
        }
        noNul("input.description", r.description());
        String queue = QueueNames.check("input.queue", r.queue());
        int maxAttempts = r.maxAttempts() == null ? 3 : atLeast("input.maxAttempts", r.maxAttempts(), 1);
        Integer baseDelay = r.baseDelaySeconds() == null ? null : atLeast("input.baseDelaySeconds", r.baseDelaySeconds(), 0);
        Integer timeout = r.timeoutSeconds() == null ? null : atLeast("input.timeoutSeconds", r.timeoutSeconds(), 1);
        List<FlowRequest.Step> steps = r.steps();
        if (steps == null || steps.isEmpty()) {
            throw new BadInputException("input.steps", "a flow needs at least one step");
        }
        if (steps.size() > MAX_STEPS) {
            throw new BadInputException("input.steps", "at most " + MAX_STEPS + " steps, got " + steps.size());
        }
        Map<String, Integer> indexOf = new HashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            String at = "input.steps[" + i + "]";
            if (steps.get(i) == null) {
                throw new BadInputException(at, "is null");
            }
            String stepSlug = slug(at + ".slug", steps.get(i).slug());
            if (stepSlug.equals(RUN_KEY)) {
                throw new BadInputException(at + ".slug", "'run' is reserved: a task's input holds the run's input under it");
            }
            Integer before = indexOf.put(stepSlug, i);
            if (before != null) {
                throw new BadInputException(at + ".slug", "'" + stepSlug + "' is also the slug of steps[" + before + "]");
            }
        }
        List<StepDefinition> checked = new ArrayList<>();
        List<List<Integer>> edges = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            String at = "input.steps[" + i + "]";
            FlowRequest.Step s = steps.get(i);
            if (s.type() == null) {
                throw new BadInputException(at + ".type", "is required: SINGLE or MAP");
            }
            if (s.kind() == null || s.kind().isBlank()) {
                throw new BadInputException(at + ".kind", "is required");
            }
            handlers.require(at + ".kind", s.kind());
            LinkedHashSet<String> deps = new LinkedHashSet<>();
            List<Integer> to = new ArrayList<>();
            for (String dep : s.dependsOn() == null ? List.<String>of() : s.dependsOn()) {
                Integer index = dep == null ? null : indexOf.get(dep);
                if (index == null) {
                    throw new BadInputException(at + ".dependsOn", "no step of this flow has slug '" + dep + "'");
                }
                if (!deps.add(dep)) {
                    throw new BadInputException(at + ".dependsOn", "'" + dep + "' is given twice");
                }
                to.add(index);
            }
            if (s.type() == StepType.MAP && deps.size() > 1) {
                throw new BadInputException(at + ".dependsOn", "a MAP step maps over one array, so it has at most one "
                        + "dependency, got " + deps.size());
            }
            JsonObject payload = s.payload() == null ? new JsonObject() : s.payload();
            checkPayload(at + ".payload", payload, s.type(), deps);
            checked.add(new StepDefinition(s.slug(), i, s.type(), s.kind(), payload, List.copyOf(deps),
                    s.maxAttempts() == null ? null : atLeast(at + ".maxAttempts", s.maxAttempts(), 1),
                    s.baseDelaySeconds() == null ? null : atLeast(at + ".baseDelaySeconds", s.baseDelaySeconds(), 0),
                    s.timeoutSeconds() == null ? null : atLeast(at + ".timeoutSeconds", s.timeoutSeconds(), 1),
                    s.startDelaySeconds() == null ? null : atLeast(at + ".startDelaySeconds", s.startDelaySeconds(), 0)));
            edges.add(to);
        }
        DependencyGraph.findCycle(edges).ifPresent(cycle -> {
            List<String> names = cycle.stream().map(i -> steps.get(i).slug()).toList();
            throw new BadInputException("input.steps[" + cycle.get(0) + "].dependsOn", "dependency cycle: "
                    + String.join(" -> ", names) + " -> " + names.get(0));
        });
        return new FlowDefinition(0, slug, r.description(), queue, maxAttempts, baseDelay, timeout, List.copyOf(checked), null);
    }

    private void checkPayload(String field, JsonObject payload, StepType type, LinkedHashSet<String> deps) {
        int bytes = payload.encode().getBytes(StandardCharsets.UTF_8).length;
        int max = config.limits().maxPayloadBytes();
        if (bytes > max) {
            throw new BadInputException(field, "is " + bytes + " bytes; the limit is " + max + " (jobyard.limits.max-payload-bytes)");
        }
        if (payload.encode().contains("\\u0000")) {
            throw new BadInputException(field, "must not contain the NUL character (U+0000)");
        }
        List<String> reserved = type == StepType.MAP ? List.of(ELEMENT_KEY, INDEX_KEY) : new ArrayList<>(deps);
        if (type == StepType.SINGLE) {
            reserved.add(0, RUN_KEY);
        }
        for (String key : reserved) {
            if (payload.containsKey(key)) {
                throw new BadInputException(field + "." + key, "is filled in by the flow for each task; a static payload "
                        + "may not use the key '" + key + "'");
            }
        }
    }

    static String slug(String field, String slug) {
        if (slug == null || !SLUG.matcher(slug).matches()) {
            throw new BadInputException(field, "must be 1 to 128 letters, digits or _, not starting with a digit, got "
                    + (slug == null ? "nothing" : "'" + slug + "'"));
        }
        return slug;
    }

    private static int atLeast(String field, int value, int min) {
        if (value < min) {
            throw new BadInputException(field, "must be at least " + min + ", got " + value);
        }
        return value;
    }

    private static void noNul(String field, String text) {
        if (text != null && text.indexOf('\0') >= 0) {
            throw new BadInputException(field, "must not contain the NUL character (U+0000)");
        }
    }
}
