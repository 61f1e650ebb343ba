package dev.jobyard.api;

import java.util.List;

import org.eclipse.microprofile.graphql.DefaultValue;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;

import dev.jobyard.access.Callers;
import dev.jobyard.access.Perm;
import dev.jobyard.access.Permission;
import dev.jobyard.access.QueueGrants;
import dev.jobyard.chain.definition.ChainDefinition;
import dev.jobyard.chain.definition.ChainService;
import dev.jobyard.chain.run.ChainRuns;
import dev.jobyard.chain.yaml.ChainImports;
import dev.jobyard.common.ForbiddenException;
import dev.jobyard.common.NotFoundException;
import dev.jobyard.job.JobService;
import dev.jobyard.job.JobStatus;
import dev.jobyard.queue.QueueNames;
import dev.jobyard.schedule.ScheduleStatus;
import io.smallrye.common.annotation.Blocking;

/** Chains over GraphQL: thin mapping onto {@link ChainService} (definitions) and {@link ChainRuns} (runs). */
@Blocking
@GraphQLApi
public class ChainResource {

    private final ChainService chains;
    private final ChainRuns runs;
    private final ChainImports imports;

    ChainResource(ChainService chains, ChainRuns runs, ChainImports imports) {
        this.chains = chains;
        this.runs = runs;
        this.imports = imports;
    }

    @Name("ChainTaskDirection")
    public enum Direction {
        UP, DOWN
    }

    @Query
    @Description("Chains, oldest first; status ACTIVE (live), PAUSED or BROKEN.")
    @Permission(Perm.READ)
    public ChainViews.ChainConnection chains(ScheduleStatus status, Integer first, String after) {
        int size = Cursors.pageSize(first);
        // A caller limited to some queues sees the chains whose runs go to them (filtered after the page is read, as
        // schedules are: a page may hold fewer than first; endCursor still leads on).
        QueueGrants granted = Callers.queues();
        var page = Cursors.Page.of(chains.list(status == null ? null : status.name(), Cursors.idAfter(after), size + 1),
                size, after, c -> Cursors.ofId(c.chain().id));
        return new ChainViews.ChainConnection(page.items().stream().filter(c -> granted.allows(c.schedule().queue))
                .map(ChainViews.ChainView::of).toList(), page.endCursor(), page.hasNext());
    }

    @Query
    @Description("One chain by id or by name.")
    @Permission(Perm.READ)
    public ChainViews.ChainView chain(@Id String id, String name) {
        return ChainViews.ChainView.of(chains.find(id == null ? null : id(id), name).filter(ChainResource::visible)
                .orElseThrow(() -> new NotFoundException("chain", id != null ? id : "'" + name + "'")));
    }

    @Query
    @Description("The runs of a chain (jobs of kind 'chain'), active and archived, newest first.")
    @Permission(Perm.READ)
    public Views.JobConnection chainRuns(@NonNull @Id String chainId, JobStatus status, Integer first, String after) {
        long chain = requireVisible(id(chainId));
        int size = Cursors.pageSize(first);
        long before = after == null ? Long.MAX_VALUE : Cursors.idAfter(after);
        // Runs made before the chain moved to another queue stay in the old one: those are filtered as jobs are.
        QueueGrants granted = Callers.queues();
        var page = Cursors.Page.of(runs.runs(chain, status, before, size + 1), size, after, job -> Cursors.ofId(job.id()));
        return new Views.JobConnection(page.items().stream().filter(j -> granted.allows(j.queue())).map(JobView::of).toList(),
                page.endCursor(), page.hasNext());
    }

    @Query
    @Description("The execution log: one entry per task execution, oldest first; filter by chain, run or task.")
    @Permission(Perm.READ)
    public ChainViews.ChainLogConnection chainLog(@Id String chainId, @Id String runId, @Id String taskId, Integer first,
            String after) {
        int size = Cursors.pageSize(first);
        var page = Cursors.Page.of(runs.log(chainId == null ? null : id(chainId),
                runId == null ? null : JobService.parseId("runId", runId),
                taskId == null ? null : JobService.parseId("taskId", taskId), Cursors.idAfter(after), size + 1,
                Callers.queues()), size, after,
                e -> Cursors.ofId(e.id()));
        return new ChainViews.ChainLogConnection(page.items().stream().map(ChainViews.LogEntryView::of).toList(),
                page.endCursor(), page.hasNext());
    }

    @Query
    @Description("The named chains, or all, as pg_timetable YAML; importChains reads it back to the same definitions.")
    @Permission(Perm.READ)
    public String exportChains(List<String> names) {
        return imports.export(names, Callers.queues());
    }

    @Mutation
    @Description("Creates the chains of a pg_timetable YAML file, all or none; errors give the YAML line. An existing name is CONFLICT unless replace.")
    // Admin only: pg_timetable's YAML defaults a task to SQL, and the guard does not read kinds inside YAML text.
    @Permission(Perm.ADMIN_KINDS)
    public ChainViews.ImportView importChains(@NonNull String yaml, @DefaultValue("false") boolean replace) {
        if (!Callers.queues().all()) {
            // Its chains name their queues inside the YAML, and replace deletes chains by name.
            throw new ForbiddenException("importChains: a caller limited to queues (" + Callers.queues()
                    + ") may not import chains; create them one by one with createChain");
        }
        ChainImports.Imported imported = imports.importYaml(yaml, replace);
        return new ChainViews.ImportView(imported.chains().stream().map(ChainViews.ChainView::of).toList(), imported.warnings());
    }

    @Mutation
    @Permission(value = Perm.CHAINS_WRITE, kindsAreJobs = false)
    public ChainViews.ChainView createChain(@NonNull ChainInput input) {
        requireGranted("input.queue", QueueNames.check("input.queue", input.queue));
        return ChainViews.ChainView.of(chains.create(input.toRequest()));
    }

    @Mutation
    @Description("Changes the given fields; tasks given replace all tasks; a new schedule or timezone restarts the timetable from now.")
    @Permission(value = Perm.CHAINS_WRITE, kindsAreJobs = false)
    public ChainViews.ChainView updateChain(@NonNull @Id String id, @NonNull ChainInput input) {
        requireVisible(id(id));
        if (input.queue != null) {
            requireGranted("input.queue", QueueNames.check("input.queue", input.queue));
        }
        return ChainViews.ChainView.of(chains.update(id(id), input.toRequest()));
    }

    @Mutation
    @Description("Deletes a chain with its tasks; its runs and execution log stay with their history.")
    @Permission(Perm.DEFINITIONS_DELETE)
    public ChainViews.ChainView deleteChain(@NonNull @Id String id) {
        requireVisible(id(id));
        return ChainViews.ChainView.of(chains.delete(id(id)));
    }

    @Mutation
    @Description("Stops firing the chain on schedule (live = false); runChain still runs it.")
    @Permission(value = Perm.CHAINS_WRITE, kindsAreJobs = false)
    public ChainViews.ChainView pauseChain(@NonNull @Id String id) {
        requireVisible(id(id));
        return ChainViews.ChainView.of(chains.pause(id(id)));
    }

    @Mutation
    @Description("Fires the chain on schedule again, from the next slot after now.")
    @Permission(value = Perm.CHAINS_WRITE, kindsAreJobs = false)
    public ChainViews.ChainView resumeChain(@NonNull @Id String id) {
        requireVisible(id(id));
        return ChainViews.ChainView.of(chains.resume(id(id)));
    }

    @Mutation
    @Description("Runs the chain now or after delaySeconds (paused chains too); clientName overrides the chain's for this run. Returns the run's job.")
    @Permission(value = Perm.CHAINS_WRITE, kindsAreJobs = false)
    public JobView runChain(@NonNull @Id String id, String clientName, Integer delaySeconds) {
        requireVisible(id(id));
        return JobView.of(runs.run(id(id), clientName, delaySeconds));
    }

    @Mutation
    @Description("Cancels the chain's pending and running runs: the running statement is cancelled and rolled back, onError does not run.")
    @Permission(value = Perm.CHAINS_WRITE, kindsAreJobs = false)
    public List<JobView> stopChain(@NonNull @Id String id, String reason) {
        requireVisible(id(id));
        return runs.stop(id(id), reason).stream().map(JobView::of).toList();
    }

    @Mutation
    @Description("Adds a task after afterTaskId (between it and the next), or last.")
    @Permission(value = Perm.CHAINS_WRITE, kindsAreJobs = false)
    public ChainViews.ChainView addChainTask(@NonNull @Id String chainId, @NonNull ChainTaskInput input, @Id String afterTaskId) {
        requireVisible(id(chainId));
        return ChainViews.ChainView.of(chains.addTask(id(chainId), input.toRequest("input"),
                afterTaskId == null ? null : JobService.parseId("afterTaskId", afterTaskId)));
    }

    @Mutation
    @Description("Changes the given fields of a task; parameters given replace its parameter sets.")
    @Permission(value = Perm.CHAINS_WRITE, kindsAreJobs = false)
    public ChainViews.ChainView updateChainTask(@NonNull @Id String id, @NonNull ChainTaskInput input) {
        requireVisibleTask(JobService.parseId("id", id));
        return ChainViews.ChainView.of(chains.updateTask(JobService.parseId("id", id), input.toRequest("input")));
    }

    @Mutation
    @Permission(value = Perm.CHAINS_WRITE, kindsAreJobs = false)
    public ChainViews.ChainView deleteChainTask(@NonNull @Id String id) {
        requireVisibleTask(JobService.parseId("id", id));
        return ChainViews.ChainView.of(chains.deleteTask(JobService.parseId("id", id)));
    }

    @Mutation
    @Description("Swaps the task with the one before (UP) or after (DOWN) it; at either end nothing changes.")
    @Permission(value = Perm.CHAINS_WRITE, kindsAreJobs = false)
    public ChainViews.ChainView moveChainTask(@NonNull @Id String id, @NonNull Direction direction) {
        requireVisibleTask(JobService.parseId("id", id));
        return ChainViews.ChainView.of(chains.moveTask(JobService.parseId("id", id), direction == Direction.UP));
    }

    @Mutation("setChainTaskParameters") // without the name, the "set" prefix would be dropped as a setter's
    @Description("Replaces a task's parameter sets: one element per execution; empty runs it once.")
    @Permission(value = Perm.CHAINS_WRITE, kindsAreJobs = false)
    public ChainViews.ChainView setChainTaskParameters(@NonNull @Id String taskId,
            @NonNull List<jakarta.json.JsonValue> parameters) {
        requireVisibleTask(JobService.parseId("taskId", taskId));
        return ChainViews.ChainView.of(chains.setParameters(JobService.parseId("taskId", taskId),
                ChainTaskInput.values(parameters)));
    }

    /** Whether the caller may see the chain: its runs go to a queue granted to it. */
    static boolean visible(ChainDefinition chain) {
        return Callers.queues().allows(chain.schedule().queue);
    }

    /** The chain's id; NOT_FOUND when it does not exist or its queue is not granted (it does not exist for the caller). */
    private long requireVisible(long id) {
        ChainDefinition chain = chains.require(id);
        if (!visible(chain)) {
            throw new NotFoundException("chain", id);
        }
        return id;
    }

    private void requireVisibleTask(long taskId) {
        if (!Callers.queues().all()) {
            long chain = chains.chainOfTask(taskId).orElseThrow(() -> new NotFoundException("chain task", taskId));
            if (!visible(chains.require(chain))) {
                throw new NotFoundException("chain task", taskId);
            }
        }
    }

    private static void requireGranted(String field, String queue) {
        if (!Callers.queues().allows(queue)) {
            throw new ForbiddenException(field + ": queue '" + queue + "' is not granted to " + Callers.current().subject()
                    + " (granted: " + Callers.queues() + ")");
        }
    }

    private static long id(String id) {
        return JobService.parseId("id", id);
    }
}
