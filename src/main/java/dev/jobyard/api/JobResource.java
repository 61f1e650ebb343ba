package dev.jobyard.api;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.graphql.DefaultValue;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;

import io.smallrye.common.annotation.Blocking;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;
import org.eclipse.microprofile.graphql.Source;

import dev.jobyard.access.Callers;
import dev.jobyard.access.Perm;
import dev.jobyard.access.Permission;
import dev.jobyard.access.QueueGrants;
import dev.jobyard.common.NotFoundException;
import dev.jobyard.engine.AttemptOutputs;
import dev.jobyard.engine.JobLog;
import dev.jobyard.job.Job;
import dev.jobyard.job.JobService;
import dev.jobyard.job.JobStatus;
import dev.jobyard.job.JobStore;
import dev.jobyard.maintenance.RetentionCleaner;

/** Jobs over GraphQL: thin mapping onto {@link JobService} and the store's reads. */
/* Resolvers block on the database, so they run on worker threads, never on the event loop. */
@Blocking
@GraphQLApi
public class JobResource {

    private final JobService jobs;
    private final JobStore store;
    private final RetentionCleaner retention;
    private final JobLog jobLog;
    private final AttemptOutputs attemptOutputs;

    JobResource(JobService jobs, JobStore store, RetentionCleaner retention, JobLog jobLog, AttemptOutputs attemptOutputs) {
        this.attemptOutputs = attemptOutputs;
        this.jobs = jobs;
        this.store = store;
        this.retention = retention;
        this.jobLog = jobLog;
    }

    @Query
    @Description("Lines a job's handler wrote to its log, oldest first.")
    @Permission(Perm.READ)
    public List<Views.JobLogLine> jobLogs(@NonNull @Id String jobId, String level, Integer first, String after) {
        long id = JobService.parseId("jobId", jobId);
        visible(store.find(id), id);
        return jobLog.lines(id, level, Cursors.idAfter(after), Cursors.pageSize(first)).stream()
                .map(l -> new Views.JobLogLine(String.valueOf(l.id()), Cursors.ofId(l.id()), l.attempt(), l.level(),
                        l.message(), JsonValues.toGraphQL(l.data()), l.at()))
                .toList();
    }

    @Description("Output of each failed or cancelled attempt that left some, oldest first; a successful attempt's is its result.")
    public List<Views.AttemptOutput> attemptOutputs(@Source JobView job) {
        return attemptOutputs.of(Long.parseLong(job.getId())).stream()
                .map(e -> new Views.AttemptOutput(e.attempt(), e.status(), e.error(), JsonValues.toGraphQL(e.output()), e.at()))
                .toList();
    }

    @Query
    @Description("One job by id, active or archived.")
    @Permission(Perm.READ)
    public JobView job(@NonNull @Id String id) {
        return JobView.of(visible(jobs.find(id), id));
    }

    /** The caller's queue grants as LIKE patterns, or null for a caller on every queue. */
    static List<String> grantedLikes() {
        QueueGrants granted = Callers.queues();
        return granted.all() ? null : granted.likePatterns();
    }

    /** For a caller limited to some queues: NOT_FOUND unless the job is in one of them. */
    private void requireVisible(String id) {
        if (!Callers.queues().all()) {
            visible(jobs.find(id), id);
        }
    }

    /** The job, if it exists in a queue the caller may see: a job of another queue does not exist for it. */
    static Job visible(java.util.Optional<Job> job, Object id) {
        return job.filter(j -> Callers.queues().allows(j.queue())).orElseThrow(() -> new NotFoundException("job", id));
    }

    @Query
    @Description("Active (PENDING, RUNNING, WAITING) jobs, oldest first.")
    @Permission(Perm.READ)
    public Views.JobConnection jobs(JobStatus status, String queue, String kind, Integer first, String after) {
        if (status != null && status.isFinal()) {
            throw new dev.jobyard.common.BadInputException("status", status + " jobs are in history; use jobHistory");
        }
        int size = Cursors.pageSize(first);
        var page = Cursors.Page.of(store.listActive(status, queue, kind, Cursors.idAfter(after), size + 1, grantedLikes()), size, after,
                job -> Cursors.ofId(job.id()));
        return Views.JobConnection.of(page);
    }

    @Query
    @Description("Pending jobs whose dependencies are satisfied and whose runAt has come, in the order workers take them.")
    @Permission(Perm.READ)
    public List<JobView> readyJobs(String queue, @DefaultValue("50") int limit) {
        if (limit < 1 || limit > Cursors.MAX_PAGE) {
            throw new dev.jobyard.common.BadInputException("limit", "must be between 1 and " + Cursors.MAX_PAGE + ", got " + limit);
        }
        return store.listReady(queue, limit, grantedLikes()).stream().map(JobView::of).toList();
    }

    @Query
    @Description("Archived jobs, most recently finished first.")
    @Permission(Perm.READ)
    public Views.JobConnection jobHistory(JobStatus status, String queue, String kind, OffsetDateTime since,
            Integer first, String after) {
        if (status != null && !status.isFinal()) {
            throw new dev.jobyard.common.BadInputException("status", status + " jobs are active; use jobs");
        }
        int size = Cursors.pageSize(first);
        Cursors.HistoryPosition position = Cursors.historyAfter(after);
        List<Job> fetched = store.listHistory(status, queue, kind, since,
                position == null ? null : position.completedAt(), position == null ? 0 : position.id(), size + 1, grantedLikes());
        return Views.JobConnection.of(Cursors.Page.of(fetched, size, after,
                job -> Cursors.ofHistory(job.completedAt(), job.id())));
    }

    @Id
    @Description("For a pending job: the dependencies that have not completed yet.")
    public List<List<String>> blockedBy(@Source List<JobView> views) {
        List<Long> pendingIds = views.stream().filter(v -> v.status() == JobStatus.PENDING).map(JobView::id).toList();
        Map<Long, List<Long>> blocked = store.blockedBy(pendingIds);
        return views.stream().map(v -> blocked.getOrDefault(v.id(), List.of()).stream()
                .map(String::valueOf).toList()).toList();
    }

    @Mutation
    @Description("Creates one job.")
    @Permission(Perm.JOBS_WRITE)
    public JobView createJob(@NonNull JobInput input) {
        return JobView.of(jobs.create(input.toRequest("input")));
    }

    @Mutation
    @Description("Creates all the jobs or none. Items may depend on each other by ref/dependsOnRefs.")
    @Permission(Perm.JOBS_WRITE)
    public List<JobView> createJobs(@NonNull List<@NonNull JobInput> inputs) {
        List<dev.jobyard.job.JobRequest> requests = new java.util.ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            requests.add(inputs.get(i).toRequest("inputs[" + i + "]"));
        }
        return jobs.createBatch(requests).stream().map(JobView::of).toList();
    }

    @Mutation
    @Description("Cancels a pending job at once (and its dependents); a running one is interrupted and ends CANCELLED.")
    @Permission(Perm.JOBS_WRITE)
    public JobView cancelJob(@NonNull @Id String id, String reason) {
        requireVisible(id);
        return JobView.of(jobs.cancel(id, reason));
    }

    @Mutation
    @Description("Enqueues a FAILED or CANCELLED job again as a new job whose retryOf names the old one.")
    @Permission(Perm.JOBS_WRITE)
    public JobView retryJob(@NonNull @Id String id) {
        requireVisible(id);
        return JobView.of(jobs.retry(id));
    }

    @Mutation
    @Description("Removes history entries that finished more than olderThanDays days ago, only those of queue if given;"
            + " returns how many.")
    @Permission(Perm.HISTORY_CLEANUP)
    public int cleanupHistory(@DefaultValue("30") int olderThanDays, String queue) {
        if (olderThanDays < 0) {
            throw new dev.jobyard.common.BadInputException("olderThanDays", "must be >= 0, got " + olderThanDays);
        }
        java.time.Duration age = java.time.Duration.ofDays(olderThanDays);
        return Views.count(queue == null ? retention.removeOlderThan(age)
                : retention.removeOlderThan(age, dev.jobyard.queue.QueueNames.check("queue", queue)));
    }
}
