package dev.jobyard.api;

import java.time.OffsetDateTime;
import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Name;

import dev.jobyard.job.JobStatus;

/** The smaller GraphQL output types. */
public final class Views {

    private Views() {
    }

    /** Counts as GraphQL Int: frontends get plain numbers; a count past 2^31 saturates rather than wraps. */
    static int count(long value) {
        return (int) Math.min(Integer.MAX_VALUE, value);
    }

    @Name("JobConnection")
    @Description("One page of jobs; pass endCursor as after for the next.")
    public record JobConnection(List<JobView> nodes, String endCursor, boolean hasNextPage) {
        static JobConnection of(Cursors.Page<dev.jobyard.job.Job> page) {
            return new JobConnection(page.items().stream().map(JobView::of).toList(), page.endCursor(), page.hasNext());
        }
    }

    @Name("StatusCount")
    public record StatusCount(JobStatus status, int count) {
    }

    @Name("QueueStatusCount")
    public record QueueStatusCount(String queue, JobStatus status, int count) {
    }

    @Name("Stats")
    public record StatsView(List<StatusCount> byStatus, List<QueueStatusCount> byQueue, int completedLastMinute,
            int failedLastMinute, int completedLastHour, int failedLastHour,
            @Description("Mean run time of jobs completed in the last hour.") Double meanDurationMs,
            @Description("95th percentile run time of jobs completed in the last hour.") Double p95DurationMs) {
    }

    @Name("QueueConcurrency")
    public record QueueConcurrency(String name, int concurrency) {
    }

    @Name("Worker")
    @Description("A live replica.")
    public record WorkerView(String nodeId, String host, OffsetDateTime startedAt, OffsetDateTime lastHeartbeat,
            List<QueueConcurrency> queues, int runningJobs, boolean leader) {
    }

    @Name("JobEvent")
    @Description("A job's status change (a retry shows as RUNNING -> PENDING with the error).")
    public record JobEventView(@Id String jobId, String queue, String kind, JobStatus status,
            JobStatus previousStatus, int attempt, OffsetDateTime at, String error) {
    }

    @Name("JobLogLine")
    @Description("A line a handler wrote; pass cursor as after to read on from it.")
    public record JobLogLine(@Id String id, String cursor, int attempt, String level, String message,
            jakarta.json.JsonObject data, OffsetDateTime at) {
    }

    @Name("AttemptOutput")
    @Description("What a failed or cancelled attempt printed or returned (a program's output, an HTTP response).")
    public record AttemptOutput(int attempt, String status, String error, jakarta.json.JsonObject output, OffsetDateTime at) {
    }
}
