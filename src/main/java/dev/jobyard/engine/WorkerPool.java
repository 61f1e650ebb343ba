package dev.jobyard.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.jobyard.config.JobyardConfig;
import dev.jobyard.config.LeaseTimes;
import dev.jobyard.database.Sql;
import dev.jobyard.event.EventListener;
import dev.jobyard.event.JobEvent;
import dev.jobyard.event.Signals;
import dev.jobyard.handler.HandlerRegistry;
import dev.jobyard.handler.JobHandler;
import dev.jobyard.job.ClaimedJob;
import dev.jobyard.job.Fence;
import dev.jobyard.job.IdleWorkers;
import dev.jobyard.job.JobOwners;
import dev.jobyard.job.JobStatus;
import dev.jobyard.job.JobStore;
import dev.jobyard.job.StartAtCreate;
import dev.jobyard.node.NodeIdentity;
import dev.jobyard.observability.JobMetrics;
import dev.jobyard.observability.JobRunObserver;
import dev.jobyard.queue.QueueNames;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * This replica's workers: a {@link QueueRunner} per queue it serves ({@link ServedQueues}), the lease renewer
 * and checker, the completer, and graceful shutdown (stop claiming, let running jobs finish within the grace
 * period, hand the rest back). Running attempts are known by their claim (job id and lease token), never by
 * job id alone: an old attempt of a job that ends late (abandoned, still running) cannot touch the entry of a
 * newer attempt.
 */
@ApplicationScoped
public class WorkerPool implements IdleWorkers {

    public static final int STARTUP_PRIORITY = EventListener.STARTUP_PRIORITY + 10;
    private static final Logger LOG = Logger.getLogger(WorkerPool.class);

    private final JobyardConfig config;
    private final Sql sql;
    private final JobStore store;
    private final HandlerRegistry handlers;
    private final JobLog jobLog;
    private final NodeIdentity node;
    private final OutcomeWriter writer;

    private ServedQueues queues;
    private final Map<Claim, JobExecution> executions = new ConcurrentHashMap<>();
    private final Map<String, Long> nextTimedWake = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timers;
    // Lease work gets threads of its own: a renewal stuck on an unreachable database must not delay the
    // check that abandons handlers whose lease runs out, nor job timeouts and wake-ups.
    private final ScheduledExecutorService leaseRenewer = daemonTimer("jobyard-lease-renewer");
    private final ScheduledExecutorService leaseChecker = daemonTimer("jobyard-lease-checker");
    private final LeaseTimes leases;
    private Completers completer;
    @Inject
    JobOwners owners;
    @Inject
    JobMetrics metrics;
    @Inject
    JobRunObserver runs;
    private volatile State state = State.NEW;

    public enum State {
        NEW, RUNNING, DRAINING, STOPPED, DISABLED
    }

    WorkerPool(JobyardConfig config, Sql sql, JobStore store, HandlerRegistry handlers,
            JobLog jobLog, NodeIdentity node, OutcomeWriter writer) {
        this.config = config;
        this.sql = sql;
        this.store = store;
        this.handlers = handlers;
        this.jobLog = jobLog;
        this.node = node;
        this.writer = writer;
        this.leases = LeaseTimes.of(config);
        AtomicInteger n = new AtomicInteger();
        this.timers = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "jobyard-timer-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    void onStart(@Observes @Priority(STARTUP_PRIORITY) StartupEvent event) {
        if (!config.worker().enabled()) {
            state = State.DISABLED;
            LOG.info("Workers are disabled on this replica (jobyard.worker.enabled=false): it serves the API only");
            return;
        }
        completer = new Completers(sql, writer, config.worker().completerThreads(), config.worker().completeBatchSize(),
                config.worker().releaseBatchSize(), config.leaseTimeout().toMillis());
        writer.trackOverdue(() -> resultBacklog().overdue());
        completer.start();
        state = State.RUNNING;
        Set<String> configured = new HashSet<>(config.queues().keySet());
        configured.add(QueueNames.DEFAULT);
        queues = new ServedQueues(configured, config.worker().maxUnconfiguredQueues(), config.worker().queueIdleTimeout(),
                config.worker().queueDiscoveryInterval(), this::newRunner, store::runnableQueues);
        queues.start();
        long renewMillis = leases.renewInterval().toMillis();
        leaseRenewer.scheduleWithFixedDelay(this::renewLeases, renewMillis, renewMillis, TimeUnit.MILLISECONDS);
        long checkMillis = leases.checkInterval().toMillis();
        leaseChecker.scheduleWithFixedDelay(this::checkLeases, checkMillis, checkMillis, TimeUnit.MILLISECONDS);
        LOG.infof("Workers started on %s for queues %s", node.id(), new TreeMap<>(concurrencies()));
    }

    /** A runner for {@code queue}, claiming when {@code fetcher} asks (see ServedQueues). */
    private QueueRunner newRunner(String q, Fetcher fetcher) {
        return new QueueRunner(q, concurrency(q), config.worker().claimBatchSize(),
                new PrefetchBudget(config.worker().prefetch(), config.worker().prefetchHorizon()),
                config.worker().pollInterval(), config.worker().queueIdleTimeout(), fetcher, limit -> claim(q, limit),
                this::execution, completer::keepsUp);
    }

    /** Workers a replica runs for {@code queue}: its configured concurrency, else the default; at least 1. */
    public int concurrency(String queue) {
        var settings = config.queues().get(queue);
        return settings != null && settings.concurrency().isPresent() ? Math.max(1, settings.concurrency().get())
                : config.worker().defaultConcurrency();
    }

    private List<ClaimedJob> claim(String queue, int limit) {
        return metrics.claimed(queue, store.claim(queue, limit, node.id(), config.leaseTimeout().toMillis()));
    }

    /** A job's run on this replica, keyed by its claim: {@code leaseSince} is when the claim was sent. */
    private Runnable execution(QueueRunner runner, ClaimedJob job, long leaseSince) {
        JobHandler handler = handlers.find(job.kind()).map(h -> runs.observe(job, h)).orElse(null);
        if (handler == null) {
            // Another replica (a newer version) accepted a kind this one does not have.
            String error = "no handler for kind '" + job.kind() + "' on replica " + node.id();
            return () -> {
                completer.submit(new Outcome.Failed(job.fence(), job.maxAttempts(), error), owners.writerKey(job));
                runner.jobExited();
            };
        }
        Claim claim = Claim.of(job.fence());
        JobExecution[] self = new JobExecution[1];
        Long writer = owners.writerKey(job);
        JobExecution execution = new JobExecution(job, leaseSince, handler, jobLog, timers,
                outcome -> completer.submit(outcome, writer), () -> {
            // Only this attempt's own entry: a newer claim of the same job has an entry of its own.
            executions.remove(claim, self[0]);
            runner.jobExited();
        });
        self[0] = execution;
        executions.put(claim, execution);
        return execution;
    }

    void onJobsChanged(@Observes Signals.JobsChanged changed) {
        if (state != State.RUNNING) {
            return;
        }
        long now = System.currentTimeMillis();
        Set<String> wake = new HashSet<>();
        for (JobEvent event : changed.events()) {
            if (event.scheduleId() != null && JobStatus.valueOf(event.status()).isFinal()) {
                // A scheduled job ended: jobs the exclusive rule held back may start now.
                queues.runners().forEach(r -> wake.add(r.queue()));
                continue;
            }
            if (!JobStatus.PENDING.name().equals(event.status()) || !event.runnable()) {
                continue;
            }
            long at = event.runAt() == null ? now : event.runAt().toInstant().toEpochMilli();
            if (at <= now) {
                wake.add(event.queue());
            } else {
                wakeAt(event.queue(), at);
            }
        }
        wake.forEach(queues::wake);
    }

    private void wakeAt(String queue, long epochMillis) {
        long now = System.currentTimeMillis();
        Long current = nextTimedWake.get(queue);
        if (current != null && current > now && current <= epochMillis) {
            return; // an earlier timer will claim it, or find the next one
        }
        nextTimedWake.put(queue, epochMillis);
        timers.schedule(() -> {
            nextTimedWake.remove(queue, epochMillis);
            queues.wake(queue);
        }, epochMillis - now + 2, TimeUnit.MILLISECONDS);
    }

    void onQueueChanged(@Observes Signals.QueueChanged changed) {
        if (state == State.RUNNING && !changed.paused()) {
            queues.wake(changed.queue());
        }
    }

    void onListenerConnected(@Observes Signals.ListenerConnected connected) {
        if (state == State.RUNNING) {
            queues.wakeAll();
        }
    }

    @Override
    public StartAtCreate reserve(String queue, int max) {
        // Workers disabled: no queue is served here (and nothing was set up to serve one).
        if (state != State.RUNNING) {
            return StartAtCreate.NONE;
        }
        QueueRunner runner = queues.runner(queue);
        // Not while results pile up: a thread is free when its handler returns, before its result is written.
        if (runner == null || !config.worker().startOnCreate() || !completer.keepsUp()) {
            return StartAtCreate.NONE;
        }
        int reserved = runner.reserveIdle(max);
        return reserved == 0 ? StartAtCreate.NONE
                : new StartAtCreate(node.id(), reserved, config.leaseTimeout().toMillis(), System.nanoTime());
    }

    @Override
    public void release(String queue, StartAtCreate reserved, List<ClaimedJob> started) {
        if (reserved.count() == 0) {
            return;
        }
        QueueRunner runner = queues.runner(queue);
        metrics.claimed(queue, started);
        for (ClaimedJob job : started) {
            if (!startReserved(runner, job, reserved.sinceNanos())) {
                // Shutting down since the reservation: the job goes back now, as an unstarted claim would, and
                // not through the completer, which may have stopped already.
                handBackNow(job);
                runner.releaseReserved(1);
            }
        }
        runner.releaseReserved(reserved.count() - started.size());
    }

    private boolean startReserved(QueueRunner runner, ClaimedJob job, long leaseSince) {
        if (state != State.RUNNING) {
            return false;
        }
        try {
            runner.startReserved(job, leaseSince);
            return true;
        } catch (RejectedExecutionException e) {
            executions.remove(Claim.of(job.fence()));
            return false;
        }
    }

    private void handBackNow(ClaimedJob job) {
        try {
            sql.inTransaction(tx -> writer.write(tx, List.of(new Outcome.HandedBack(job.fence()))));
        } catch (RuntimeException e) {
            LOG.warnf("Could not hand job %d back at shutdown (%s); it runs again once its lease expires", job.id(),
                    e.getMessage());
        }
    }

    void onCancelRequested(@Observes Signals.CancelRequested request) {
        executions.forEach((claim, execution) -> {
            if (claim.jobId() == request.jobId()) {
                execution.stop(new StopReason(StopReason.Kind.CANCEL, request.reason()));
            }
        });
    }

    /**
     * Renews the leases of the running attempts and of the results not written yet. Each attempt whose
     * lease came back renewed counts it from when the statement was sent; one whose lease is gone (rescued,
     * cancelled and finished) is abandoned at once.
     */
    private void renewLeases() {
        try {
            Map<Claim, JobExecution> running = Map.copyOf(executions);
            Map<Claim, Fence> byClaim = new java.util.LinkedHashMap<>();
            running.values().forEach(e -> byClaim.put(Claim.of(e.job().fence()), e.job().fence()));
            completer.unwrittenFences().forEach(f -> byClaim.putIfAbsent(Claim.of(f), f));
            if (byClaim.isEmpty()) {
                return;
            }
            long sent = System.nanoTime();
            Map<Claim, String> held = new java.util.HashMap<>();
            for (JobStore.Renewed renewed : store.renewLeases(node.id(), new ArrayList<>(byClaim.values()),
                    config.leaseTimeout().toMillis())) {
                held.put(new Claim(renewed.jobId(), renewed.token()),
                        renewed.cancelReason() == null ? "" : renewed.cancelReason());
            }
            running.forEach((claim, execution) -> {
                String cancelReason = held.get(claim);
                if (cancelReason == null) {
                    if (execution.abandon("its lease was lost (the job was taken back)")) {
                        executions.remove(claim, execution);
                    }
                    return;
                }
                execution.leaseRenewed(sent);
                if (!cancelReason.isEmpty()) {
                    // The cancel notification may have been missed; the row says it all the same.
                    execution.stop(new StopReason(StopReason.Kind.CANCEL, cancelReason));
                }
            });
        } catch (RuntimeException e) {
            LOG.warnf("Could not renew job leases (%s); will try again", e.getMessage());
        }
    }

    /** Interrupts, then abandons, the attempts whose lease this replica could not renew in time (see LeaseTimes). */
    private void checkLeases() {
        long now = System.nanoTime();
        executions.forEach((claim, execution) -> {
            if (execution.checkLease(now, leases)) {
                executions.remove(claim, execution);
            }
        });
    }

    /** Which claim of which job an attempt runs under: a job claimed again gets a new token. */
    record Claim(long jobId, long token) {
        static Claim of(Fence fence) {
            return new Claim(fence.jobId(), fence.token());
        }
    }

    private static ScheduledExecutorService daemonTimer(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    void onStop(@Observes @Priority(1) ShutdownEvent event) {
        if (state != State.RUNNING) {
            return;
        }
        state = State.DRAINING;
        queues.stopClaiming();
        Duration grace = config.shutdown().gracePeriod();
        LOG.infof("Shutting down: no new jobs are claimed; %d running jobs have %ss to finish", executions.size(),
                grace.toSeconds());
        long deadline = System.nanoTime() + grace.toNanos();
        while (!executions.isEmpty() && System.nanoTime() < deadline) {
            sleep(50);
        }
        if (!executions.isEmpty()) {
            LOG.infof("Handing %d unfinished jobs back to the queue for another replica", executions.size());
            executions.values().forEach(e -> e.stop(new StopReason(StopReason.Kind.SHUTDOWN, "replica shutting down")));
            long handBackDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!executions.isEmpty() && System.nanoTime() < handBackDeadline) {
                sleep(20);
            }
        }
        completer.drainAndStop(10_000);
        queues.shutdownNow();
        timers.shutdownNow();
        leaseRenewer.shutdownNow();
        leaseChecker.shutdownNow();
        state = State.STOPPED;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public State state() {
        return state;
    }

    /** Concurrency of each queue this replica serves now (configured ones, and unconfigured ones with work). */
    public Map<String, Integer> concurrencies() {
        return queues == null ? new TreeMap<>() : queues.concurrencies();
    }

    /** Results of this replica not written yet (none when workers are disabled). */
    public ResultBacklog resultBacklog() {
        Completers c = completer;
        return c == null ? ResultBacklog.NONE : c.backlog();
    }

    public int runningCount() {
        return executions.size();
    }

    public List<Long> runningJobIds() {
        return executions.keySet().stream().map(Claim::jobId).toList();
    }
}
