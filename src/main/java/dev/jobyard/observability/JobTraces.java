package dev.jobyard.observability;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.jobyard.database.Sql;
import dev.jobyard.database.Statements;
import dev.jobyard.job.ClaimedJob;
import dev.jobyard.job.Job;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Links a job's runs to the request that created it. While tracing is on, creating a job inside a
 * traced request stores the request's W3C {@code traceparent} in {@code job_trace}, in the creating
 * transaction; each run then is a span whose parent is that request's span, on whichever replica runs
 * it. With tracing off (the default) nothing is stored or read.
 */
@ApplicationScoped
public class JobTraces {

    private static final String REMEMBER = """
            INSERT INTO jobyard.job_trace (job_id, traceparent) SELECT unnest($1::bigint[]), $2
            ON CONFLICT (job_id) DO NOTHING""";
    private static final String FIND = "SELECT traceparent FROM jobyard.job_trace WHERE job_id = $1";
    private static final String FORGET = "DELETE FROM jobyard.job_trace WHERE created_at < now() - $1 * interval '1 millisecond'";
    private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final boolean enabled;
    private final Tracer tracer;
    private final Sql sql;

    JobTraces(@ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "false") boolean sdkDisabled,
            Tracer tracer, Sql sql) {
        this.enabled = !sdkDisabled;
        this.tracer = tracer;
        this.sql = sql;
    }

    public boolean enabled() {
        return enabled;
    }

    /** True when jobs created now have a trace to join, so their creation must store it. */
    public boolean recording() {
        return enabled && Span.current().getSpanContext().isValid();
    }

    /** Stores the current trace context for {@code jobs}, in {@code db}'s transaction; nothing while not recording. */
    public List<Job> remember(Statements db, List<Job> jobs) {
        if (!jobs.isEmpty() && recording()) {
            Map<String, String> carrier = new HashMap<>();
            W3CTraceContextPropagator.getInstance().inject(Context.current(), carrier, Map::put);
            db.query(REMEMBER, Tuple.of(jobs.stream().map(Job::id).toArray(Long[]::new), carrier.get("traceparent")));
        }
        return jobs;
    }

    /** Starts the span of one run, as a child of the creating request's span when there was one; null while off. */
    Span startRun(ClaimedJob job) {
        if (!enabled) {
            return null;
        }
        Context parent = Context.root();
        for (Row row : sql.query(FIND, Tuple.of(job.id()))) {
            parent = W3CTraceContextPropagator.getInstance().extract(parent, Map.of("traceparent", row.getString(0)), GETTER);
        }
        return tracer.spanBuilder("job " + job.kind())
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute("jobyard.job.id", job.id())
                .setAttribute("jobyard.job.kind", job.kind())
                .setAttribute("jobyard.job.queue", job.queue())
                .setAttribute("jobyard.job.attempt", job.attempt())
                .setAttribute("jobyard.node.id", job.worker())
                .startSpan();
    }

    /** Deletes trace contexts older than {@code ageMillis}, with the history they belong to; returns how many. */
    public long forgetOlderThan(long ageMillis) {
        return sql.query(FORGET, Tuple.of(ageMillis)).rowCount();
    }
}
