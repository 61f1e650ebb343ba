package dev.jobyard.api;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Name;

import dev.jobyard.flow.FlowDefinition;
import dev.jobyard.flow.StepDefinition;
import dev.jobyard.flow.StepType;
import dev.jobyard.flow.run.FlowRun;
import dev.jobyard.flow.run.FlowRunEventType;
import dev.jobyard.flow.run.FlowRunStatus;
import dev.jobyard.flow.run.FlowStepStatus;
import dev.jobyard.flow.run.FlowTask;
import dev.jobyard.flow.run.FlowTaskStatus;
import dev.jobyard.flow.run.StepState;

/** The GraphQL types of flows and their runs. */
public final class FlowViews {

    private FlowViews() {
    }

    @Name("Flow")
    @Description("A flow definition: a graph of steps. Immutable.")
    public record FlowView(@Id String id, String slug, String description, String queue, int maxAttempts,
            Integer baseDelaySeconds, Integer timeoutSeconds, OffsetDateTime createdAt, List<FlowStepView> steps) {

        static FlowView of(FlowDefinition f) {
            return new FlowView(String.valueOf(f.id()), f.slug(), f.description(), f.queue(), f.maxAttempts(),
                    f.baseDelaySeconds(), f.timeoutSeconds(), f.createdAt(), f.steps().stream().map(FlowStepView::of).toList());
        }
    }

    @Name("FlowStep")
    public record FlowStepView(String slug, StepType type, String kind, jakarta.json.JsonObject payload,
            List<String> dependsOn, Integer maxAttempts, Integer baseDelaySeconds, Integer timeoutSeconds,
            Integer startDelaySeconds) {

        static FlowStepView of(StepDefinition s) {
            return new FlowStepView(s.slug(), s.type(), s.kind(), JsonValues.toGraphQL(s.payload()), s.dependsOn(),
                    s.maxAttempts(), s.baseDelaySeconds(), s.timeoutSeconds(), s.startDelaySeconds());
        }
    }

    @Name("FlowConnection")
    public record FlowConnection(List<FlowView> nodes, String endCursor, boolean hasNextPage) {
    }

    @Name("FlowRun")
    @Description("One run of a flow. Its steps (with their tasks) are read when selected.")
    public record FlowRunView(@Id String id, String flowSlug, FlowRunStatus status, jakarta.json.JsonValue input,
            @Description("One field per final step (a step no other depends on): its output. Null until COMPLETED.")
            jakarta.json.JsonValue output, String error, int remainingSteps, String idempotencyKey,
            OffsetDateTime createdAt, OffsetDateTime endedAt) {

        static FlowRunView of(FlowRun r) {
            return new FlowRunView(String.valueOf(r.id()), r.flowSlug(), r.status(), JsonValues.anyToGraphQL(r.input()),
                    JsonValues.anyToGraphQL(r.output()), r.error(), r.remainingSteps(), r.idempotencyKey(), r.createdAt(),
                    r.endedAt());
        }
    }

    @Name("FlowRunConnection")
    public record FlowRunConnection(List<FlowRunView> nodes, String endCursor, boolean hasNextPage) {
    }

    @Name("FlowStepState")
    public record FlowStepStateView(String stepSlug, FlowStepStatus status, int remainingDeps,
            @Description("Null until the step starts (a map's count comes from its array).") Integer initialTasks,
            Integer remainingTasks, jakarta.json.JsonValue output, String error, OffsetDateTime startedAt,
            OffsetDateTime endedAt, List<FlowStepTaskView> tasks) {

        /** The steps of a run, each with its tasks in index order. */
        static List<FlowStepStateView> of(List<StepState> states, List<FlowTask> tasks) {
            Map<String, List<FlowStepTaskView>> byStep = new LinkedHashMap<>();
            for (FlowTask t : tasks) {
                byStep.computeIfAbsent(t.stepSlug(), k -> new ArrayList<>()).add(FlowStepTaskView.of(t));
            }
            return states.stream().map(s -> new FlowStepStateView(s.stepSlug(), s.status(), s.remainingDeps(),
                    s.initialTasks(), s.remainingTasks(), JsonValues.anyToGraphQL(s.output()), s.error(), s.startedAt(),
                    s.endedAt(), byStep.getOrDefault(s.stepSlug(), List.of()))).toList();
        }
    }

    @Name("FlowStepTask")
    public record FlowStepTaskView(int index, @Id String jobId,
            @Description("QUEUED, STARTED (its job runs now), COMPLETED, FAILED or CANCELLED.") FlowTaskStatus status,
            @Description("Attempts so far; each attempt is a job, jobId the latest.") int attempts,
            jakarta.json.JsonValue output, String error, OffsetDateTime endedAt) {

        static FlowStepTaskView of(FlowTask t) {
            return new FlowStepTaskView(t.taskIndex(), String.valueOf(t.jobId()), t.status(), t.attempts(),
                    JsonValues.anyToGraphQL(t.output()), t.error(), t.endedAt());
        }
    }

    @Name("FlowRunEvent")
    public record FlowRunEventView(FlowRunEventType type, @Id String runId, String flowSlug,
            @Description("The step, for STEP_ events.") String stepSlug, OffsetDateTime at) {
    }
}
