package dev.jobyard.api.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.jobyard.engine.WorkerPool;
import dev.jobyard.event.EventListener;

/**
 * The worker pool's state. Up while it runs (or is disabled on an API-only replica); a replica that
 * is draining for shutdown reports down so the load balancer stops sending it work.
 */
@Readiness
@ApplicationScoped
public class WorkerPoolHealth implements HealthCheck {

    private final WorkerPool pool;
    private final EventListener listener;

    WorkerPoolHealth(WorkerPool pool, EventListener listener) {
        this.pool = pool;
        this.listener = listener;
    }

    @Override
    public HealthCheckResponse call() {
        WorkerPool.State state = pool.state();
        return HealthCheckResponse.named("worker-pool")
                .status(state == WorkerPool.State.RUNNING || state == WorkerPool.State.DISABLED)
                .withData("state", state.name())
                .withData("runningJobs", pool.runningCount())
                .withData("queues", pool.concurrencies().toString())
                .withData("listening", listener.isListening())
                .build();
    }
}
