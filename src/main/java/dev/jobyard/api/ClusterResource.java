package dev.jobyard.api;

import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;

import io.smallrye.common.annotation.Blocking;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;

import dev.jobyard.access.Perm;
import dev.jobyard.access.Permission;
import dev.jobyard.job.JobStats;
import dev.jobyard.job.JobStatus;
import dev.jobyard.leadership.LeaderElector;
import dev.jobyard.node.NodeRegistry;
import dev.jobyard.queue.QueueService;

/** Queues, replicas and statistics over GraphQL. */
/* Resolvers block on the database, so they run on worker threads, never on the event loop. */
@Blocking
@GraphQLApi
public class ClusterResource {

    private final QueueService queues;
    private final NodeRegistry nodes;
    private final LeaderElector leader;
    private final JobStats stats;

    ClusterResource(QueueService queues, NodeRegistry nodes, LeaderElector leader, JobStats stats) {
        this.queues = queues;
        this.nodes = nodes;
        this.leader = leader;
        this.stats = stats;
    }

    @Query("queues")
    @Description("Every known queue with its concurrency, paused flag and counts by status.")
    @Permission(Perm.READ)
    public List<QueueView> queueList() {
        var granted = dev.jobyard.access.Callers.queues();
        return queues.list().stream().filter(q -> granted.allows(q.name())).map(QueueView::of).toList();
    }

    @Mutation
    @Description("A paused queue accepts jobs but starts none, on every replica, until resumed. Running jobs finish.")
    @Permission(value = Perm.QUEUES_WRITE, queueArgument = "name")
    public QueueView pauseQueue(@NonNull String name) {
        return QueueView.of(queues.pause(name), () -> queues.info(name));
    }

    @Mutation
    @Permission(value = Perm.QUEUES_WRITE, queueArgument = "name")
    public QueueView resumeQueue(@NonNull String name) {
        return QueueView.of(queues.resume(name), () -> queues.info(name));
    }

    @Mutation
    @Description("Deletes a queue that has no pending or running job (its paused flag goes; its history stays until "
            + "retention). CONFLICT while it has jobs or is configured, NOT_FOUND for a name nothing knows.")
    @Permission(value = Perm.DEFINITIONS_DELETE, queueArgument = "name")
    public QueueView deleteQueue(@NonNull String name) {
        return QueueView.of(queues.delete(name));
    }

    @Query
    @Description("Each live replica.")
    @Permission(Perm.READ)
    public List<Views.WorkerView> workers() {
        String leaderId = leader.currentLeader().map(LeaderElector.Leader::nodeId).orElse(null);
        return nodes.liveNodes().stream().map(n -> new Views.WorkerView(n.nodeId(), n.host(), n.startedAt(),
                n.heartbeatAt(), n.queues().entrySet().stream()
                        .map(e -> new Views.QueueConcurrency(e.getKey(), e.getValue())).toList(),
                n.running(), n.nodeId().equals(leaderId))).toList();
    }

    @Query("stats")
    @Description("Counts by status and queue; completed and failed in the last minute and hour; durations.")
    @Permission(Perm.READ)
    public Views.StatsView statistics() {
        JobStats.Summary s = stats.summary();
        var granted = dev.jobyard.access.Callers.queues();
        if (!granted.all()) {
            // A caller limited to some queues sees their counts only; the per-minute and per-hour figures, which
            // are not kept by queue, are left out (0).
            s = new JobStats.Summary(s.counts().stream().filter(c -> granted.allows(c.queue())).toList(), 0, 0, 0, 0,
                    null, null);
        }
        var byStatus = new java.util.EnumMap<JobStatus, Long>(JobStatus.class);
        s.counts().forEach(c -> byStatus.merge(c.status(), c.count(), Long::sum));
        return new Views.StatsView(
                byStatus.entrySet().stream().map(e -> new Views.StatusCount(e.getKey(), Views.count(e.getValue()))).toList(),
                s.counts().stream().map(c -> new Views.QueueStatusCount(c.queue(), c.status(), Views.count(c.count()))).toList(),
                Views.count(s.completedLastMinute()), Views.count(s.failedLastMinute()),
                Views.count(s.completedLastHour()), Views.count(s.failedLastHour()),
                s.meanDurationMs(), s.p95DurationMs());
    }

}
