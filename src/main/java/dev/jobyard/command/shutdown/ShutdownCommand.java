package dev.jobyard.command.shutdown;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.jobyard.command.CommandRules;
import dev.jobyard.command.CommandsConfig;
import dev.jobyard.config.JobyardConfig;
import dev.jobyard.database.Sql;
import dev.jobyard.handler.JobContext;
import dev.jobyard.handler.JobHandler;
import dev.jobyard.node.NodeIdentity;
import io.quarkus.runtime.Quarkus;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * {@code shutdown}: stops the replica that runs it, gracefully (as SIGTERM does: running jobs get the
 * grace period, then are handed back). The stop begins only once this job is archived COMPLETED, so it
 * is not handed back and run again by the next replica.
 */
@ApplicationScoped
public class ShutdownCommand implements JobHandler {

    private static final Logger LOG = Logger.getLogger(ShutdownCommand.class);

    private final CommandsConfig config;
    private final NodeIdentity node;
    private final Sql sql;
    private final Duration waitForArchive;

    ShutdownCommand(CommandsConfig config, NodeIdentity node, Sql sql, JobyardConfig jobyard) {
        this.config = config;
        this.node = node;
        this.sql = sql;
        this.waitForArchive = jobyard.leaseTimeout();
    }

    @Override
    public String kind() {
        return "shutdown";
    }

    @Override
    public void validate(JsonObject payload) {
        CommandRules.requireEnabled(config.shutdown().enabled(), kind(), "jobyard.commands.shutdown.enabled");
    }

    @Override
    public JsonObject handle(JobContext context) {
        // The settings of the replica that runs the job decide, not those of the one that created it.
        validate(context.payload());
        long jobId = context.jobId();
        Thread stopper = new Thread(() -> stopAfterArchived(jobId), "shutdown-job-" + jobId);
        stopper.setDaemon(true);
        stopper.start();
        return new JsonObject().put("replica", node.id());
    }

    private void stopAfterArchived(long jobId) {
        long deadline = System.nanoTime() + waitForArchive.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                if (sql.query("SELECT 1 FROM jobyard.job_history WHERE id = $1", Tuple.of(jobId)).size() > 0) {
                    break;
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warnf(e, "Could not confirm that shutdown job %d was archived; stopping anyway", jobId);
        }
        LOG.infof("Shutdown job %d: stopping replica %s", jobId, node.id());
        Quarkus.asyncExit(0);
    }
}
