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

import dev.jobyard.access.Perm;
import dev.jobyard.access.Permission;
import dev.jobyard.chain.definition.ChainService;
import dev.jobyard.chain.run.ChainRuns;
import dev.jobyard.chain.yaml.ChainImports;
import dev.jobyard.common.NotFoundException;
import dev.jobyard.job.JobService;
import dev.jobyard.job.JobStatus;
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
        var page = Cursors.Page.of(chains.list(status == null ? null : status.name(), Cursors.idAfter(after), size + 1),
                size, after, c -> Cursors.ofId(c.chain().id));
        return new ChainViews.ChainConnection(page.items().stream().map(ChainViews.ChainView::of).toList(),
                page.endCursor(), page.hasNext());
    }

    @Query
    @Description("One chain by id or by name.")
    @Permission(Perm.READ)
    public ChainViews.ChainView chain(@Id String id, String name) {
        return ChainViews.ChainView.of(chains.find(id == null ? null : id(id), name)
                .orElseThrow(() -> new NotFoundException("chain", id != null ? id : "'" + name + "'")));
    }

    @Query
    @Description("The runs of a chain (jobs of kind 'chain'), active and archived, newest first.")
    @Permission(Perm.READ)
    public Views.JobConnection chainRuns(@NonNull @Id String chainId, JobStatus status, Integer first, String after) {
        long chain = chains.require(id(chainId)).chain().id;
        int size = Cursors.pageSize(first);
        long before = after == null ? Long.MAX_VALUE : Cursors.idAfter(after);
        return Views.JobConnection.of(Cursors.Page.of(runs.runs(chain, status, before, size + 1), size, after,
                job -> Cursors.ofId(job.id())));
    }

    @Query
    @Description("The execution log: one entry per task execution, oldest first; filter by chain, run or task.")
    @Permission(Perm.READ)
    public ChainViews.ChainLogConnection chainLog(@Id String chainId, @Id String runId, @Id String taskId, Integer first,
            String after) {
        int size = Cursors.pageSize(first);
        var page = Cursors.Page.of(runs.log(chainId == null ? null : id(chainId),
                runId == null ? null : JobService.parseId("runId", runId),
                taskId == null ? null : JobService.parseId("taskId", taskId), Cursors.idAfter(after), size + 1), size, after,
                e -> Cursors.ofId(e.id()));
        return new ChainViews.ChainLogConnection(page.items().stream().map(ChainViews.LogEntryView::of).toList(),
                page.endCursor(), page.hasNext());
    }

    @Query
    @Description("The named chains, or all, as pg_timetable YAML; importChains reads it back to the same definitions.")
    @Permission(Perm.READ)
    public String exportChains(List<String> names) {
        return imports.export(names);
    }

    @Mutation
    @Description("Creates the chains of a pg_timetable YAML file, all or none; errors give the YAML line. An existing name is CONFLICT unless replace.")
    // Admin only: pg_timetable's YAML defaults a task to SQL, and the guard does not read kinds inside YAML text.
    @Permission(Perm.ADMIN_KINDS)
    public ChainViews.ImportView importChains(@NonNull String yaml, @DefaultValue("false") boolean replace) {
        ChainImports.Imported imported = imports.importYaml(yaml, replace);
        return new ChainViews.ImportView(imported.chains().stream().map(ChainViews.ChainView::of).toList(), imported.warnings());
    }

    @Mutation
    @Permission(Perm.CHAINS_WRITE)
    public ChainViews.ChainView createChain(@NonNull ChainInput input) {
        return ChainViews.ChainView.of(chains.create(input.toRequest()));
    }

    @Mutation
    @Description("Changes the given fields; tasks given replace all tasks; a new schedule or timezone restarts the timetable from now.")
    @Permission(Perm.CHAINS_WRITE)
    public ChainViews.ChainView updateChain(@NonNull @Id String id, @NonNull ChainInput input) {
        return ChainViews.ChainView.of(chains.update(id(id), input.toRequest()));
    }

    @Mutation
    @Description("Deletes a chain with its tasks; its runs and execution log stay with their history.")
    @Permission(Perm.DEFINITIONS_DELETE)
    public ChainViews.ChainView deleteChain(@NonNull @Id String id) {
        return ChainViews.ChainView.of(chains.delete(id(id)));
    }

    @Mutation
    @Description("Stops firing the chain on schedule (live = false); runChain still runs it.")
    @Permission(Perm.CHAINS_WRITE)
    public ChainViews.ChainView pauseChain(@NonNull @Id String id) {
        return ChainViews.ChainView.of(chains.pause(id(id)));
    }

    @Mutation
    @Description("Fires the chain on schedule again, from the next slot after now.")
    @Permission(Perm.CHAINS_WRITE)
    public ChainViews.ChainView resumeChain(@NonNull @Id String id) {
        return ChainViews.ChainView.of(chains.resume(id(id)));
    }

    @Mutation
    @Description("Runs the chain now or after delaySeconds (paused chains too); clientName overrides the chain's for this run. Returns the run's job.")
    @Permission(Perm.CHAINS_WRITE)
    public JobView runChain(@NonNull @Id String id, String clientName, Integer delaySeconds) {
        return JobView.of(runs.run(id(id), clientName, delaySeconds));
    }

    @Mutation
    @Description("Cancels the chain's pending and running runs: the running statement is cancelled and rolled back, onError does not run.")
    @Permission(Perm.CHAINS_WRITE)
    public List<JobView> stopChain(@NonNull @Id String id, String reason) {
        return runs.stop(id(id), reason).stream().map(JobView::of).toList();
    }

    @Mutation
    @Description("Adds a task after afterTaskId (between it and the next), or last.")
    @Permission(Perm.CHAINS_WRITE)
    public ChainViews.ChainView addChainTask(@NonNull @Id String chainId, @NonNull ChainTaskInput input, @Id String afterTaskId) {
        return ChainViews.ChainView.of(chains.addTask(id(chainId), input.toRequest("input"),
                afterTaskId == null ? null : JobService.parseId("afterTaskId", afterTaskId)));
    }

    @Mutation
    @Description("Changes the given fields of a task; parameters given replace its parameter sets.")
    @Permission(Perm.CHAINS_WRITE)
    public ChainViews.ChainView updateChainTask(@NonNull @Id String id, @NonNull ChainTaskInput input) {
        return ChainViews.ChainView.of(chains.updateTask(JobService.parseId("id", id), input.toRequest("input")));
    }

    @Mutation
    @Permission(Perm.CHAINS_WRITE)
    public ChainViews.ChainView deleteChainTask(@NonNull @Id String id) {
        return ChainViews.ChainView.of(chains.deleteTask(JobService.parseId("id", id)));
    }

    @Mutation
    @Description("Swaps the task with the one before (UP) or after (DOWN) it; at either end nothing changes.")
    @Permission(Perm.CHAINS_WRITE)
    public ChainViews.ChainView moveChainTask(@NonNull @Id String id, @NonNull Direction direction) {
        return ChainViews.ChainView.of(chains.moveTask(JobService.parseId("id", id), direction == Direction.UP));
    }

    @Mutation("setChainTaskParameters") // without the name, the "set" prefix would be dropped as a setter's
    @Description("Replaces a task's parameter sets: one element per execution; empty runs it once.")
    @Permission(Perm.CHAINS_WRITE)
    public ChainViews.ChainView setChainTaskParameters(@NonNull @Id String taskId,
            @NonNull List<jakarta.json.JsonValue> parameters) {
        return ChainViews.ChainView.of(chains.setParameters(JobService.parseId("taskId", taskId),
                ChainTaskInput.values(parameters)));
    }

    private static long id(String id) {
        return JobService.parseId("id", id);
    }
}
