package dev.jobyard.flow;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A flow as stored: immutable once created, so a run reads it without locks and it may be cached.
 * {@code baseDelaySeconds} and {@code timeoutSeconds} are null where the service's defaults apply.
 */
public record FlowDefinition(long id, String slug, String description, String queue, int maxAttempts,
        Integer baseDelaySeconds, Integer timeoutSeconds, List<StepDefinition> steps, OffsetDateTime createdAt) {

    public StepDefinition step(String slug) {
        for (StepDefinition step : steps) {
            if (step.slug().equals(slug)) {
                return step;
            }
        }
        throw new IllegalArgumentException("flow " + this.slug + " has no step " + slug);
    }

    /** For each step slug, the slugs of the steps that depend on it, in definition order. */
    public Map<String, List<String>> dependents() {
        Map<String, List<String>> dependents = new HashMap<>();
        for (StepDefinition step : steps) {
            dependents.computeIfAbsent(step.slug(), k -> new ArrayList<>());
            for (String dep : step.dependsOn()) {
                dependents.computeIfAbsent(dep, k -> new ArrayList<>()).add(step.slug());
            }
        }
        return dependents;
    }

    /** Steps that no other step depends on: their outputs make the run's output. */
    public List<String> finalSteps() {
        Map<String, List<String>> dependents = dependents();
        return steps.stream().map(StepDefinition::slug).filter(s -> dependents.get(s).isEmpty()).toList();
    }

    /** The same definition as {@code other}, ignoring identity and creation time. */
    public boolean sameDefinitionAs(FlowDefinition other) {
        return slug.equals(other.slug) && java.util.Objects.equals(description, other.description)
                && queue.equals(other.queue) && maxAttempts == other.maxAttempts
                && java.util.Objects.equals(baseDelaySeconds, other.baseDelaySeconds)
                && java.util.Objects.equals(timeoutSeconds, other.timeoutSeconds) && steps.equals(other.steps);
    }
}
