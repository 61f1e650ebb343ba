package dev.jobyard.chain.run;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.jobyard.access.QueueGrants;
import dev.jobyard.chain.ChainNames;
import dev.jobyard.chain.TaskPayloads;
import dev.jobyard.chain.definition.ChainRules;
import dev.jobyard.common.BadInputException;
import dev.jobyard.common.NotFoundException;
import dev.jobyard.database.Sql;
import dev.jobyard.job.Job;
import dev.jobyard.job.JobService;
import dev.jobyard.job.JobStatus;
import dev.jobyard.job.JobStore;
import dev.jobyard.job.NewJob;
import dev.jobyard.observability.JobCreations;
import io.vertx.core.json.JsonObject;

/**
 * Starting and stopping runs, and reading them: a run is a job of kind {@code chain} whose
 * {@code schedule_id} is the chain's id, so the schedule machinery's maxInstances and exclusive rules and
 * the engine's leases, retries, cancellation and history all apply to it.
 */
@ApplicationScoped
public class ChainRuns {

    private final Sql sql;
    private final ChainRunStore store;
    private final JobStore jobs;
    private final JobService jobService;
    @Inject
    JobCreations creations;

    ChainRuns(Sql sql, ChainRunStore store, JobStore jobs, JobService jobService) {
        this.sql = sql;
        this.store = store;
        this.jobs = jobs;
        this.jobService = jobService;
    }

    /**
     * Runs the chain now (or after {@code delaySeconds}), paused or not; {@code clientName} overrides the chain's
     * for this run. Returns the run's job.
     */
    public Job run(long chainId, String clientName, Integer delaySeconds) {
        if (delaySeconds != null && delaySeconds < 0) {
            throw new BadInputException("delaySeconds", "must be >= 0, got " + delaySeconds);
        }
        ChainRules.text("clientName", clientName, 200);
        return sql.inTransaction(tx -> {
            ChainRunStore.ChainRow chain = store.chain(tx, chainId).orElseThrow(() -> new NotFoundException("chain", chainId));
            long id = jobs.allocateIds(tx, 1).get(0);
            JsonObject payload = new JsonObject().put("chainId", chainId);
            // An empty override runs it on any replica. The payload keeps the client name (retries and the handler's
            // clientName read it); the job's client_name column, which the claim filters on, is set from it.
            String client = clientName == null ? chain.clientName() : clientName.isEmpty() ? null : clientName;
            if (client != null) {
                payload.put("clientName", client);
            }
            NewJob job = new NewJob(chain.queue(), TaskPayloads.CHAIN_KIND, ChainNames.scheduleName(chain.name()),
                    "run of chain " + chain.name() + " by runChain", payload, new JsonObject().put("chain", chain.name()),
                    0, null, delaySeconds == null ? 0 : delaySeconds, chain.maxAttempts(), null, null, List.of(), null,
                    chainId, chain.exclusive()).withClientName(client);
            return creations.created(tx, jobs.insert(tx, List.of(id), List.of(job), List.of(List.of()))).get(0);
        });
    }

    /** Cancels every pending or running run of the chain; returns them. */
    public List<Job> stop(long chainId, String reason) {
        store.chain(chainId).orElseThrow(() -> new NotFoundException("chain", chainId));
        List<Job> stopped = new ArrayList<>();
        for (long id : store.activeRuns(chainId)) {
            try {
                stopped.add(jobService.cancel(String.valueOf(id), reason == null ? "stopChain" : reason));
            } catch (RuntimeException e) {
                // ended meanwhile: nothing to stop
            }
        }
        return stopped;
    }

    public List<Job> runs(long chainId, JobStatus status, long beforeId, int limit) {
        return jobs.listBySchedule(chainId, status, beforeId, limit);
    }

    /** Log entries, of the chains whose runs go to {@code granted} queues only (by the chain's queue now). */
    public List<ChainLogEntry> log(Long chainId, Long runId, Long taskId, long afterId, int limit, QueueGrants granted) {
        return store.logPage(chainId, runId, taskId, afterId, limit, granted.all() ? null : granted.likePatterns());
    }
}
