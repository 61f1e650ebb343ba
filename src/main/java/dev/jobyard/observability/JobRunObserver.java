package dev.jobyard.observability;

import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.MDC;

import dev.jobyard.handler.JobContext;
import dev.jobyard.handler.JobHandler;
import dev.jobyard.job.ClaimedJob;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.vertx.core.json.JsonObject;

/**
 * Wraps a handler for one run: the run's duration, its span (while tracing is on), and the log fields
 * that, with the job id, kind and attempt the engine sets, are on every line the handler writes.
 */
@ApplicationScoped
public class JobRunObserver {

    /** MDC keys, as they appear in JSON logs (docs/observability.md). The engine sets jobId, jobKind and attempt. */
    public static final String NODE_ID = "nodeId";
    public static final String QUEUE = "queue";

    private final JobMetrics metrics;
    private final JobTraces traces;

    JobRunObserver(JobMetrics metrics, JobTraces traces) {
        this.metrics = metrics;
        this.traces = traces;
    }

    /** {@code handler}, observed while it runs {@code job}. */
    public JobHandler observe(ClaimedJob job, JobHandler handler) {
        return new Observed(job, handler, metrics.meters(job.queue(), job.kind()));
    }

    private final class Observed implements JobHandler {
        private final ClaimedJob job;
        private final JobHandler handler;
        private final JobMeters meters;

        Observed(ClaimedJob job, JobHandler handler, JobMeters meters) {
            this.job = job;
            this.handler = handler;
            this.meters = meters;
        }

        @Override
        public String kind() {
            return handler.kind();
        }

        @Override
        public JsonObject handle(JobContext context) throws Exception {
            // The node id stays on the worker thread: whatever it logs later happens on this replica too.
            MDC.put(NODE_ID, job.worker());
            MDC.put(QUEUE, job.queue());
            Span span = traces.startRun(job);
            Scope scope = span == null ? null : span.makeCurrent();
            long started = System.nanoTime();
            try {
                return handler.handle(context);
            } catch (Exception | Error e) {
                if (span != null) {
                    span.recordException(e);
                    span.setStatus(StatusCode.ERROR);
                }
                throw e;
            } finally {
                meters.run.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                if (scope != null) {
                    scope.close();
                    span.end();
                }
                MDC.remove(QUEUE);
            }
        }
    }
}
