package dev.jobyard.chain.run;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.chain.TaskPayloads;
import dev.jobyard.command.BackendStopper;
import dev.jobyard.command.CommandsConfig;
import dev.jobyard.command.sql.SqlTargets;
import dev.jobyard.common.BadInputException;
import dev.jobyard.handler.JobContext;
import dev.jobyard.handler.JobHandler;
import dev.jobyard.node.NodeIdentity;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The {@code chain} kind: one job is one run of a chain. The chain and its tasks are read when the run
 * starts ({@link ChainRun} does the rest). A chain that was deleted meanwhile fails the run.
 */
@ApplicationScoped
public class ChainHandler implements JobHandler {

    private final ChainRunStore store;
    private final TaskPayloads payloads;
    private final SqlTargets targets;
    private final CommandsConfig commands;
    private final Vertx vertx;
    private final BackendStopper stopper;
    private final NodeIdentity node;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jobyard-chain-timers");
        t.setDaemon(true);
        return t;
    });

    ChainHandler(ChainRunStore store, TaskPayloads payloads, SqlTargets targets, CommandsConfig commands, Vertx vertx,
            BackendStopper stopper, NodeIdentity node) {
        this.store = store;
        this.payloads = payloads;
        this.targets = targets;
        this.commands = commands;
        this.vertx = vertx;
        this.stopper = stopper;
        this.node = node;
    }

    @Override
    public String kind() {
        return TaskPayloads.CHAIN_KIND;
    }

    @Override
    public void validate(JsonObject payload) {
        if (!(payload.getValue("chainId") instanceof Number)) {
            throw new BadInputException("payload.chainId", "a chain run needs the chain's id; start one with runChain");
        }
    }

    @Override
    public String clientName(JsonObject payload) {
        // runChain(clientName:) writes the override into the run's payload, so the payload is the whole truth.
        return payload.getString("clientName");
    }

    @Override
    public JsonObject handle(JobContext context) throws Exception {
        validate(context.payload());
        long chainId = context.payload().getLong("chainId");
        ChainRunStore.ChainRow chain = store.chain(chainId)
                .orElseThrow(() -> new IllegalStateException("chain " + chainId + " no longer exists"));
        List<ChainRunStore.TaskRow> tasks = store.tasks(chainId);
        String clientName = context.payload().getString("clientName");
        return new ChainRun(context, chain, tasks, clientName, this).run();
    }

    ChainRunStore store() {
        return store;
    }

    TaskPayloads payloads() {
        return payloads;
    }

    SqlTargets targets() {
        return targets;
    }

    int maxRows() {
        return commands.sql().maxRows();
    }

    boolean sqlEnabled() {
        return commands.sql().enabled();
    }

    Vertx vertx() {
        return vertx;
    }

    BackendStopper stopper() {
        return stopper;
    }

    String worker() {
        return node.id();
    }

    ScheduledExecutorService timers() {
        return timers;
    }

    @PreDestroy
    void stop() {
        timers.shutdownNow();
    }
}
