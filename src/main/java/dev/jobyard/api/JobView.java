package dev.jobyard.api;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Name;

import dev.jobyard.job.Job;
import dev.jobyard.job.JobStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

@Name("Job")
@Description("A job, active (PENDING, RUNNING) or archived in history (COMPLETED, FAILED, CANCELLED).")
public record JobView(
        @Id String id,
        String queue,
        @Description("The handler that runs it.") String kind,
        String name,
        String description,
        jakarta.json.JsonObject payload,
        @Description("Higher runs first; -1000..1000.") int priority,
        @Description("Earliest start.") OffsetDateTime runAt,
        @Id @Description("Ids of the jobs it waits for.") List<String> dependencies,
        @Description("Attempts allowed, counting the first.") int maxAttempts,
        Integer timeoutSeconds,
        String idempotencyKey,
        jakarta.json.JsonObject labels,
        JobStatus status,
        @Description("Attempts started so far.") int attempts,
        jakarta.json.JsonObject result,
        @Description("The last attempt's error.") String error,
        @Description("How each ended attempt went wrong (failure, timeout, lost lease, cancellation), with its time.") List<AttemptError> errors,
        OffsetDateTime createdAt,
        OffsetDateTime startedAt,
        OffsetDateTime completedAt,
        OffsetDateTime updatedAt,
        @Description("Run time of the last attempt, for archived jobs.") Integer durationMs,
        @Description("The replica that ran (or runs) it.") String worker,
        @Id @Description("The job this one retries, for jobs created by retryJob.") String retryOf,
        @Id @Description("The schedule that created it, if any.") String scheduleId,
        @Description("A cancel was asked while it runs; it ends CANCELLED shortly.") boolean cancelRequested) {

    @Name("AttemptError")
    public record AttemptError(int attempt, String error, OffsetDateTime at) {
    }

    static JobView of(Job job) {
        List<String> deps = job.dependencies().stream().map(String::valueOf).toList();
        List<AttemptError> errors = new ArrayList<>();
        JsonArray array = job.errors();
        if (array != null) {
            for (int i = 0; i < array.size(); i++) {
                JsonObject e = array.getJsonObject(i);
                errors.add(new AttemptError(e.getInteger("attempt", 0), e.getString("error"),
                        e.getString("at") == null ? null : OffsetDateTime.parse(e.getString("at"))));
            }
        }
        return new JobView(String.valueOf(job.id()), job.queue(), job.kind(), job.name(), job.description(),
                JsonValues.toGraphQL(job.payload()), job.priority(), job.runAt(), deps, job.maxAttempts(),
                job.timeoutSeconds(), job.idempotencyKey(), JsonValues.toGraphQL(job.labels()), job.status(),
                job.attempts(), JsonValues.toGraphQL(job.result()), job.error(), errors, job.createdAt(),
                job.startedAt(), job.completedAt(), job.updatedAt(),
                job.durationMs() == null ? null : Views.count(job.durationMs()), job.worker(),
                job.retryOf() == null ? null : String.valueOf(job.retryOf()),
                job.scheduleId() == null ? null : String.valueOf(job.scheduleId()), job.cancelReason() != null);
    }
}
