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

/**
 * The GraphQL Job type. Fields are computed by getters when a query selects them, so a createJobs
 * of 5,000 that asks only for ids does not convert 5,000 payloads.
 */
@Name("Job")
@Description("A job, active (PENDING, RUNNING, WAITING) or archived in history (COMPLETED, FAILED, CANCELLED).")
public final class JobView {

    private final Job job;

    private JobView(Job job) {
        this.job = job;
    }

    static JobView of(Job job) {
        return new JobView(job);
    }

    @Id
    public String getId() {
        return String.valueOf(job.id());
    }

    public String getQueue() {
        return job.queue();
    }

    @Description("The handler that runs it.")
    public String getKind() {
        return job.kind();
    }

    public String getName() {
        return job.name();
    }

    public String getDescription() {
        return job.description();
    }

    public jakarta.json.JsonObject getPayload() {
        return JsonValues.toGraphQL(job.payload());
    }

    @Description("Higher runs first; -1000..1000.")
    public int getPriority() {
        return job.priority();
    }

    @Description("Earliest start.")
    public OffsetDateTime getRunAt() {
        return job.runAt();
    }

    @Id
    @Description("Ids of the jobs it waits for.")
    public List<String> getDependencies() {
        return job.dependencies().stream().map(String::valueOf).toList();
    }

    @Description("Attempts allowed, counting the first.")
    public int getMaxAttempts() {
        return job.maxAttempts();
    }

    public Integer getTimeoutSeconds() {
        return job.timeoutSeconds();
    }

    public String getIdempotencyKey() {
        return job.idempotencyKey();
    }

    public jakarta.json.JsonObject getLabels() {
        return JsonValues.toGraphQL(job.labels());
    }

    public JobStatus getStatus() {
        return job.status();
    }

    @Description("Attempts started so far.")
    public int getAttempts() {
        return job.attempts();
    }

    public jakarta.json.JsonObject getResult() {
        return JsonValues.toGraphQL(job.result());
    }

    @Description("The last attempt's error.")
    public String getError() {
        return job.error();
    }

    @Description("How each ended attempt went wrong (failure, timeout, lost lease, cancellation), with its time.")
    public List<AttemptError> getErrors() {
        List<AttemptError> errors = new ArrayList<>();
        JsonArray array = job.errors();
        if (array != null) {
            for (int i = 0; i < array.size(); i++) {
                JsonObject e = array.getJsonObject(i);
                errors.add(new AttemptError(e.getInteger("attempt", 0), e.getString("error"),
                        e.getString("at") == null ? null : OffsetDateTime.parse(e.getString("at"))));
            }
        }
        return errors;
    }

    public OffsetDateTime getCreatedAt() {
        return job.createdAt();
    }

    public OffsetDateTime getStartedAt() {
        return job.startedAt();
    }

    public OffsetDateTime getCompletedAt() {
        return job.completedAt();
    }

    public OffsetDateTime getUpdatedAt() {
        return job.updatedAt();
    }

    @Description("Run time of the last attempt, for archived jobs.")
    public Integer getDurationMs() {
        return job.durationMs() == null ? null : Views.count(job.durationMs());
    }

    @Description("The replica that ran (or runs) it.")
    public String getWorker() {
        return job.worker();
    }

    @Id
    @Description("The job this one retries, for jobs created by retryJob.")
    public String getRetryOf() {
        return job.retryOf() == null ? null : String.valueOf(job.retryOf());
    }

    @Id
    @Description("The schedule that created it, if any.")
    public String getScheduleId() {
        return job.scheduleId() == null ? null : String.valueOf(job.scheduleId());
    }

    @Description("A cancel was asked while it runs; it ends CANCELLED shortly.")
    public boolean isCancelRequested() {
        return job.cancelReason() != null;
    }

    JobStatus status() {
        return job.status();
    }

    long id() {
        return job.id();
    }

    @Name("AttemptError")
    public record AttemptError(int attempt, String error, OffsetDateTime at) {
    }
}
