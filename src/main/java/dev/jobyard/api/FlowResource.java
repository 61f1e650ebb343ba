package dev.jobyard.api;

import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;
import org.eclipse.microprofile.graphql.Source;

import dev.jobyard.access.Callers;
import dev.jobyard.access.Perm;
import dev.jobyard.access.Permission;
import dev.jobyard.access.QueueGrants;
import dev.jobyard.common.BadInputException;
import dev.jobyard.common.ForbiddenException;
import dev.jobyard.common.NotFoundException;
import dev.jobyard.flow.FlowDefinitions;
import dev.jobyard.flow.run.FlowRun;
import dev.jobyard.flow.run.FlowRunStatus;
import dev.jobyard.flow.run.FlowRuns;
import dev.jobyard.job.JobStore;
import dev.jobyard.queue.QueueNames;
import io.smallrye.common.annotation.Blocking;

/** Flows over GraphQL: thin mapping onto {@link FlowDefinitions} and {@link FlowRuns}. */
@Blocking
@GraphQLApi
public class FlowResource {

    private final FlowDefinitions flows;
    private final FlowRuns runs;
    private final JobStore jobs;

    FlowResource(FlowDefinitions flows, FlowRuns runs, JobStore jobs) {
        this.flows = flows;
        this.runs = runs;
        this.jobs = jobs;
    }

    @Query
    @Description("Flow definitions, oldest first.")
    @Permission(Perm.READ)
    public FlowViews.FlowConnection flows(Integer first, String after) {
        int size = Cursors.pageSize(first);
        // A caller limited to some queues sees the flows whose jobs go to them (filtered after the page is read).
        QueueGrants granted = Callers.queues();
        var page = Cursors.Page.of(flows.list(Cursors.idAfter(after), size + 1), size, after, f -> Cursors.ofId(f.id()));
        return new FlowViews.FlowConnection(page.items().stream().filter(f -> granted.allows(f.queue()))
                .map(FlowViews.FlowView::of).toList(), page.endCursor(), page.hasNext());
    }

    @Query
    @Description("One flow by id or by slug.")
    @Permission(Perm.READ)
    public FlowViews.FlowView flow(@Id String id, String slug) {
        if ((id == null) == (slug == null)) {
            throw new BadInputException(id == null ? "slug" : "id", "give id or slug, one of them");
        }
        var found = id != null ? flows.find(parseFlowId(id)) : flows.find(slug);
        return FlowViews.FlowView.of(found.filter(f -> Callers.queues().allows(f.queue())).orElseThrow(() -> new NotFoundException("flow", id != null ? id : "'" + slug + "'")));
    }

    @Query
    @Permission(Perm.READ)
    public FlowViews.FlowRunView flowRun(@NonNull @Id String id) {
        return FlowViews.FlowRunView.of(visibleRun(id));
    }

    @Query
    @Description("Runs, newest first, of one flow or all.")
    @Permission(Perm.READ)
    public FlowViews.FlowRunConnection flowRuns(String flowSlug, FlowRunStatus status, Integer first, String after) {
        int size = Cursors.pageSize(first);
        long before = after == null ? Long.MAX_VALUE : Cursors.idAfter(after);
        var page = Cursors.Page.of(runs.list(flowSlug, status, before, size + 1, Callers.queues()), size, after,
                r -> Cursors.ofId(r.id()));
        return new FlowViews.FlowRunConnection(page.items().stream().map(FlowViews.FlowRunView::of).toList(),
                page.endCursor(), page.hasNext());
    }

    @Mutation
    @Description("Creates a flow, or returns it when one with this slug and the same definition exists.")
    @Permission(value = Perm.FLOWS_WRITE, kindsAreJobs = false)
    public FlowViews.FlowView createFlow(@NonNull FlowInput input) {
        String queue = QueueNames.check("input.queue", input.queue);
        if (!Callers.queues().allows(queue)) {
            throw new ForbiddenException("input.queue: queue '" + queue + "' is not granted to " + Callers.current().subject()
                    + " (granted: " + Callers.queues() + ")");
        }
        return FlowViews.FlowView.of(flows.create(input.toRequest()));
    }

    @Mutation
    @Description("Deletes a flow and its finished runs; CONFLICT while a run is active.")
    @Permission(Perm.DEFINITIONS_DELETE)
    public FlowViews.FlowView deleteFlow(@NonNull String slug) {
        if (flows.find(slug).filter(f -> Callers.queues().allows(f.queue())).isEmpty()) {
            throw new NotFoundException("flow", "'" + slug + "'");
        }
        return FlowViews.FlowView.of(flows.delete(slug));
    }

    @Mutation
    @Description("Starts a run with any JSON input (an array for a root MAP step); the same idempotencyKey returns the "
            + "first run. Steps that complete at once (empty maps) complete before it returns.")
    @Permission(value = Perm.FLOWS_WRITE, kindsAreJobs = false)
    public FlowViews.FlowRunView startFlow(@NonNull String slug, jakarta.json.JsonValue input, String idempotencyKey) {
        // Declares the field; FlowInputArgument's data fetcher answers it (any JSON input), this body only for objects.
        return FlowViews.FlowRunView.of(runs.start(slug, JsonValues.anyText(input), idempotencyKey, Callers.queues()));
    }

    @Mutation
    @Description("Cancels a STARTED run: pending tasks' jobs are cancelled, running ones asked to stop. CONFLICT once ended.")
    @Permission(value = Perm.FLOWS_WRITE, kindsAreJobs = false)
    public FlowViews.FlowRunView cancelFlowRun(@NonNull @Id String id, String reason) {
        visibleRun(id);
        return FlowViews.FlowRunView.of(runs.cancel(id, reason));
    }

    @Description("The flow's definition, while it exists.")
    public FlowViews.FlowView flow(@Source FlowViews.FlowRunView run) {
        return flows.find(run.flowSlug()).map(FlowViews.FlowView::of).orElse(null);
    }

    @Description("The steps in definition order, each with its tasks.")
    public List<FlowViews.FlowStepStateView> steps(@Source FlowViews.FlowRunView run) {
        long id = Long.parseLong(run.id());
        return FlowViews.FlowStepStateView.of(runs.steps(id), runs.tasks(id));
    }

    @Description("The job of the task's latest attempt.")
    public JobView job(@Source FlowViews.FlowStepTaskView task) {
        return jobs.find(Long.parseLong(task.jobId())).map(JobView::of).orElse(null);
    }

    /** The run; NOT_FOUND also when its flow's queue is not granted to the caller (it does not exist for it). */
    private FlowRun visibleRun(String id) {
        QueueGrants granted = Callers.queues();
        return runs.find(id).filter(r -> granted.all() || runs.queueOf(r).filter(granted::allows).isPresent())
                .orElseThrow(() -> new NotFoundException("flow run", id));
    }

    private static long parseFlowId(String id) {
        try {
            return Long.parseLong(id.trim());
        } catch (RuntimeException e) {
            throw new BadInputException("id", "'" + id + "' is not a flow id");
        }
    }
}
