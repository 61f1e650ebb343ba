package dev.jobyard.engine;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import dev.jobyard.common.JobyardException;
import dev.jobyard.config.LeaseTimes;
import dev.jobyard.handler.FailedWithOutput;
import dev.jobyard.handler.HangUp;
import dev.jobyard.handler.JobContext;
import dev.jobyard.handler.JobHandler;
import dev.jobyard.job.ClaimedJob;
import dev.jobyard.job.Fence;
import io.vertx.core.json.JsonObject;

/**
 * One attempt of one job on a worker thread: runs the handler, enforces the timeout, and turns
 * whatever happened (return, throw, timeout, cancel, shutdown) into exactly one {@link Outcome}.
 * Stopping is cooperative: the thread is interrupted and the handler is expected to return.
 * <p>
 * It also knows how long its lease is sure to last: from the last renewal that succeeded (counted from
 * when that statement was sent). When the worker could not renew it in time, {@link #checkLease} interrupts
 * the handler and then abandons the attempt: whatever the handler does afterwards is dropped, so nothing of
 * it is written once another replica may have the job (see {@link LeaseTimes}).
 */
final class JobExecution implements Runnable {

    private static final Logger LOG = Logger.getLogger(JobExecution.class);

    private final ClaimedJob job;
    private final JobHandler handler;
    private final JobLog log;
    private final ScheduledExecutorService timers;
    private final Consumer<Outcome> onOutcome;
    private final Runnable onExit;
    private final AtomicReference<StopReason> stop = new AtomicReference<>();
    private volatile Thread thread;
    // JVM monotonic time the lease was last known to be renewed from (a claim's or renewal's sending).
    private volatile long leaseSinceNanos;
    // RUNNING until the attempt either ends (its outcome is then submitted) or is abandoned (nothing is).
    private final AtomicReference<Fate> fate = new AtomicReference<>(Fate.RUNNING);

    private enum Fate {
        RUNNING, ENDED, ABANDONED
    }

    JobExecution(ClaimedJob job, long leaseSinceNanos, JobHandler handler, JobLog log, ScheduledExecutorService timers,
            Consumer<Outcome> onOutcome, Runnable onExit) {
        this.job = job;
        this.leaseSinceNanos = leaseSinceNanos;
        this.handler = handler;
        this.log = log;
        this.timers = timers;
        this.onOutcome = onOutcome;
        this.onExit = onExit;
    }

    ClaimedJob job() {
        return job;
    }

    /** The lease was renewed by a statement sent at {@code sentNanos} ({@link System#nanoTime()}). */
    void leaseRenewed(long sentNanos) {
        if (sentNanos > leaseSinceNanos) {
            leaseSinceNanos = sentNanos;
        }
    }

    /**
     * Holds the attempt to its lease at {@code nowNanos}: interrupts the handler once the lease has gone
     * unrenewed for {@link LeaseTimes#interruptAfter()}, abandons the attempt after {@link LeaseTimes#abandonAfter()}.
     * Returns true if this call abandoned it.
     */
    boolean checkLease(long nowNanos, LeaseTimes times) {
        long unrenewed = nowNanos - leaseSinceNanos;
        if (unrenewed >= times.abandonAfter().toNanos()) {
            return abandon("its lease was not renewed for " + unrenewed / 1_000_000 + " ms");
        }
        if (unrenewed >= times.interruptAfter().toNanos() && fate.get() == Fate.RUNNING
                && stop.compareAndSet(null, new StopReason(StopReason.Kind.LEASE_LOST, "lease not renewed"))) {
            LOG.warnf("Could not renew the lease of job %d attempt %d for %d ms; interrupting its handler", job.id(),
                    job.attempt(), unrenewed / 1_000_000);
            interrupt();
        }
        return false;
    }

    /**
     * Gives the attempt up: the handler is interrupted (if it still runs) and whatever it ends with is dropped.
     * Returns false if it had ended already (its outcome is then on its way).
     */
    boolean abandon(String why) {
        if (!fate.compareAndSet(Fate.RUNNING, Fate.ABANDONED)) {
            return false;
        }
        stop.compareAndSet(null, new StopReason(StopReason.Kind.LEASE_LOST, why));
        LOG.warnf("Abandoned job %d attempt %d: %s; nothing it does from now on is written", job.id(), job.attempt(), why);
        interrupt();
        return true;
    }

    private void interrupt() {
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    /** Asks the attempt to stop; the first reason wins. */
    void stop(StopReason reason) {
        if (stop.compareAndSet(null, reason)) {
            interrupt();
        }
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        MDC.put("jobId", job.id());
        MDC.put("jobKind", job.kind());
        MDC.put("attempt", job.attempt());
        ScheduledFuture<?> timeout = job.timeoutSeconds() == null ? null
                : timers.schedule(() -> stop(new StopReason(StopReason.Kind.TIMEOUT,
                        "timed out after " + job.timeoutSeconds() + "s")), job.timeoutSeconds(), TimeUnit.SECONDS);
        Outcome outcome = null;
        try {
            if (stop.get() != null) {
                // Stopped (shutdown, cancel) before the handler began.
                outcome = stopped(stop.get());
            } else {
                JsonObject result = handler.handle(new Context());
                // A handler that returns after being told to stop was cut short: the stop decides.
                outcome = stop.get() != null ? stopped(stop.get()) : new Outcome.Succeeded(job.fence(), result, job.hasDependents());
            }
        } catch (HangUp hangUp) {
            // A stop asked meanwhile decides, as for a handler that returns after it.
            outcome = stop.get() != null ? stopped(stop.get()) : new Outcome.HungUp(job.fence(), hangUp);
        } catch (Throwable t) {
            StopReason reason = stop.get();
            JsonObject output = t instanceof FailedWithOutput f ? f.output() : null;
            outcome = reason != null ? withOutput(stopped(reason), output)
                    : new Outcome.Failed(job.fence(), job.maxAttempts(), describe(t), output);
            if (reason == null) {
                LOG.debugf(t, "Job %d attempt %d failed", job.id(), job.attempt());
            }
        } finally {
            if (timeout != null) {
                timeout.cancel(false);
            }
            thread = null;
            Thread.interrupted();
            MDC.remove("jobId");
            MDC.remove("jobKind");
            MDC.remove("attempt");
            // An abandoned attempt's outcome is dropped: another replica may run the job by now.
            if (fate.compareAndSet(Fate.RUNNING, Fate.ENDED) && outcome != null) {
                onOutcome.accept(outcome);
            }
            onExit.run();
        }
    }

    private Outcome stopped(StopReason reason) {
        return switch (reason.kind()) {
            case TIMEOUT -> new Outcome.Failed(job.fence(), job.maxAttempts(), reason.detail());
            case CANCEL -> new Outcome.Cancelled(job.fence(), reason.detail());
            case SHUTDOWN -> new Outcome.HandedBack(job.fence());
            case LEASE_LOST -> null;
        };
    }

    /** Keeps what a stopped attempt printed before it was stopped. */
    private static Outcome withOutput(Outcome outcome, JsonObject output) {
        if (output == null) {
            return outcome;
        }
        if (outcome instanceof Outcome.Failed f) {
            return new Outcome.Failed(f.fence(), f.maxAttempts(), f.error(), output);
        }
        if (outcome instanceof Outcome.Cancelled c) {
            return new Outcome.Cancelled(c.fence(), c.reason(), output);
        }
        return outcome;
    }

    private static String describe(Throwable t) {
        // These messages are written for users already (a payload rule broken at run time, a command's failure).
        if (t instanceof FailedWithOutput || t instanceof JobyardException) {
            return t.getMessage();
        }
        return HandlerErrors.describe(t);
    }

    private final class Context implements JobContext {
        @Override
        public long jobId() {
            return job.id();
        }

        @Override
        public String kind() {
            return job.kind();
        }

        @Override
        public String queue() {
            return job.queue();
        }

        @Override
        public int attempt() {
            return job.attempt();
        }

        @Override
        public int maxAttempts() {
            return job.maxAttempts();
        }

        @Override
        public JsonObject payload() {
            return job.payload();
        }

        @Override
        public JsonObject labels() {
            return job.labels();
        }

        @Override
        public Fence fence() {
            return job.fence();
        }

        @Override
        public boolean isCancelled() {
            return stop.get() != null;
        }

        @Override
        public void log(String level, String message, JsonObject data) {
            log.append(job.id(), job.attempt(), level, message, data);
        }
    }
}
