package dev.jobyard.command;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.jobyard.database.Sql;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Stops the PostgreSQL backend of a stopped {@code sql} or {@code copy_*} job: first a cancel request,
 * then, if the statement is still running after {@code jobyard.commands.terminate-after} (a DO block
 * that catches {@code query_canceled}, a COPY the server keeps feeding), {@code pg_terminate_backend}
 * from the service's own pool. Terminating another role's backend needs superuser or
 * {@code pg_signal_backend}.
 */
@ApplicationScoped
public class BackendStopper {

    private static final Logger LOG = Logger.getLogger(BackendStopper.class);
    private static final long POLL_MILLIS = 50;

    private final Sql sql;
    private final Duration grace;

    BackendStopper(Sql sql, CommandsConfig config) {
        this.sql = sql;
        this.grace = config.terminateAfter();
    }

    /**
     * Runs on the job's own (interrupted) thread or a watchdog's; the interrupt is set aside meanwhile, so
     * that the grace period and the terminate call are not cut short by it, and restored afterwards.
     *
     * @param cancel sends the cancel request
     * @param finished whether the job's statement has returned
     */
    public void stop(int pid, Runnable cancel, BooleanSupplier finished) {
        boolean interrupted = Thread.interrupted();
        try {
            try {
                cancel.run();
            } catch (RuntimeException e) {
                LOG.debugf(e, "Cancel request for backend %d failed; terminating it", pid);
            }
            long deadline = System.nanoTime() + grace.toNanos();
            while (!finished.getAsBoolean() && System.nanoTime() - deadline < 0) {
                Thread.sleep(POLL_MILLIS);
            }
            if (!finished.getAsBoolean()) {
                terminate(pid);
            }
        } catch (InterruptedException e) {
            // Stopped once more while waiting: the statement still gets no longer than this.
            terminate(pid);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void terminate(int pid) {
        try {
            boolean done = sql.query("SELECT pg_terminate_backend($1)", Tuple.of(pid)).iterator().next().getBoolean(0);
            LOG.infof("Terminated backend %d of a stopped command (%s)", pid, done ? "done" : "already gone");
        } catch (RuntimeException e) {
            LOG.warnf("Could not terminate backend %d of a stopped command: %s", pid, e.getMessage());
        }
    }
}
