package dev.jobyard.api;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;

import dev.jobyard.flow.FlowRequest;
import dev.jobyard.flow.StepType;

@Input("FlowInput")
@Description("A flow definition. Definitions are immutable: creating the same slug again with the same definition returns "
        + "the flow, with a different one is CONFLICT.")
public class FlowInput {

    @Description("Unique; letters, digits and _, at most 128, not starting with a digit.")
    public String slug;
    public String description;
    @Description("The queue of every task's job; default 'default'.")
    public String queue;
    @Description("Attempts per task, the first included; default 3. A step's own setting overrides it.")
    public Integer maxAttempts;
    @Description("Base of the retry backoff in seconds; default jobyard.retry.base-delay. A step's own setting overrides it.")
    public Integer baseDelaySeconds;
    @Description("Timeout of each task's attempt; default none. A step's own setting overrides it.")
    public Integer timeoutSeconds;
    public List<FlowStepInput> steps;

    @Input("FlowStepInput")
    public static class FlowStepInput {
        @Description("Unique within the flow; letters, digits and _; not 'run'.")
        public String slug;
        @Description("SINGLE (one task) or MAP (one task per element of one array).")
        public StepType type;
        @Description("The job kind that runs each task.")
        public String kind;
        @Description("A JSON object merged into every task's payload; it may not use the keys the flow fills in.")
        public jakarta.json.JsonValue payload;
        @Description("Slugs of the steps whose outputs this one needs; none for a root step; at most one for a MAP step.")
        public List<String> dependsOn;
        public Integer maxAttempts;
        public Integer baseDelaySeconds;
        public Integer timeoutSeconds;
        @Description("Seconds between the step starting and its jobs becoming runnable.")
        public Integer startDelaySeconds;
    }

    FlowRequest toRequest() {
        List<FlowRequest.Step> list = null;
        if (steps != null) {
            list = new ArrayList<>(steps.size());
            for (int i = 0; i < steps.size(); i++) {
                FlowStepInput s = steps.get(i);
                list.add(s == null ? null : new FlowRequest.Step(s.slug, s.type, s.kind,
                        JsonValues.objectOf("input.steps[" + i + "].payload", s.payload), s.dependsOn, s.maxAttempts,
                        s.baseDelaySeconds, s.timeoutSeconds, s.startDelaySeconds));
            }
        }
        return new FlowRequest(slug, description, queue, maxAttempts, baseDelaySeconds, timeoutSeconds, list);
    }
}
