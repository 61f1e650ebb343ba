package dev.jobyard.api;

import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;

import dev.jobyard.chain.definition.ChainRequest;
import dev.jobyard.schedule.MisfirePolicy;

@Input("ChainInput")
@Description("A chain to create, or the fields to change on update (null keeps the stored value; tasks given replace all tasks).")
public class ChainInput {

    @Description("Unique; at most 194 characters. Required on create.")
    public String name;
    public String description;
    @Description("Any expression schedules accept (cron, @every, @after, @reboot, ...); null or 'manual': runs only by runChain.")
    public String schedule;
    @Description("IANA time zone the cron fields are read in; default UTC.")
    public String timezone;
    @Description("False: created paused, never fires on schedule (runChain still runs it). Default true.")
    public Boolean live;
    @Description("Skip a slot while this many runs are pending or running; 0 removes the limit.")
    public Integer maxInstances;
    @Description("Limit of a whole run; past it the run rolls back and onError runs. 0 removes it.")
    public Integer timeoutSeconds;
    @Description("Delete the chain after its first successful run.")
    public Boolean selfDestruct;
    @Description("While a run of this chain runs, no other chain (or scheduled job) starts.")
    public Boolean exclusive;
    @Description("Only replicas whose jobyard.client-name is this run it; empty text removes it.")
    public String clientName;
    @Description("SQL run in its own transaction when a run fails; current_setting('jobyard.chain_error') holds the error.")
    public String onError;
    @Description("Attempts of a run (default 1); a retry starts again from the first task.")
    public Integer maxAttempts;
    @Description("The queue its runs go to; default 'default'.")
    public String queue;
    public MisfirePolicy misfirePolicy;
    public List<ChainTaskInput> tasks;

    ChainRequest toRequest() {
        return new ChainRequest(name, description, schedule, timezone, live, maxInstances, timeoutSeconds, selfDestruct,
                exclusive, clientName, onError, maxAttempts, queue, misfirePolicy,
                tasks == null ? null : tasks.stream().map(t -> t == null ? null : t.toRequest("input.tasks")).toList());
    }
}
