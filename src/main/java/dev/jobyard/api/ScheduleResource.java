package dev.jobyard.api;

import java.util.List;

import org.eclipse.microprofile.graphql.DefaultValue;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;
import org.eclipse.microprofile.graphql.Source;

import dev.jobyard.access.Callers;
import dev.jobyard.access.Perm;
import dev.jobyard.access.Permission;
import dev.jobyard.access.QueueGrants;
import dev.jobyard.common.ForbiddenException;
import dev.jobyard.common.NotFoundException;
import dev.jobyard.job.Job;
import dev.jobyard.job.JobStatus;
import dev.jobyard.job.JobStore;
import dev.jobyard.leadership.LeaderElector;
import dev.jobyard.schedule.Schedule;
import dev.jobyard.schedule.ScheduleService;
import dev.jobyard.schedule.ScheduleStatus;
import dev.jobyard.schedule.ScheduleStore;
import io.smallrye.common.annotation.Blocking;

/** Schedules over GraphQL: thin mapping onto {@link ScheduleService}. */
@Blocking
@GraphQLApi
public class ScheduleResource {

    private final ScheduleService schedules;
    private final JobStore jobs;
    private final LeaderElector leader;

    ScheduleResource(ScheduleService schedules, JobStore jobs, LeaderElector leader) {
        this.schedules = schedules;
        this.jobs = jobs;
        this.leader = leader;
    }

    @Query
    @Description("Schedules, oldest first.")
    @Permission(Perm.READ)
    public ScheduleViews.ScheduleConnection schedules(ScheduleStatus status, Integer first, String after) {
        int size = Cursors.pageSize(first);
        // A caller limited to some queues sees the schedules whose jobs go to them (filtered after the page is read, so a
        // page may hold fewer than first; endCursor still leads on).
        QueueGrants granted = Callers.queues();
        var page = Cursors.Page.of(schedules.list(status, Cursors.idAfter(after), size + 1), size, after,
                schedule -> Cursors.ofId(schedule.id()));
        return new ScheduleViews.ScheduleConnection(page.items().stream().filter(x -> granted.allows(x.job().queue()))
                .map(ScheduleViews.ScheduleView::of).toList(),
                page.endCursor(), page.hasNext());
    }

    @Query
    @Description("One schedule by id or by name.")
    @Permission(Perm.READ)
    public ScheduleViews.ScheduleView schedule(@Id String id, String name) {
        return ScheduleViews.ScheduleView.of(schedules.find(id, name).filter(ScheduleResource::visible)
                .orElseThrow(() -> new NotFoundException("schedule", id != null ? id : "'" + name + "'")));
    }

    @Query
    @Description("The next fire times of one schedule, or of all active schedules merged in time order.")
    @Permission(Perm.READ)
    public List<ScheduleViews.NextRun> nextRuns(@DefaultValue("10") int count, @Id String scheduleId) {
        if (scheduleId != null) {
            requireVisible(scheduleId);
        }
        return schedules.nextRuns(count, scheduleId).stream().filter(r -> visible(r.schedule())).map(r -> new ScheduleViews.NextRun(
                String.valueOf(r.schedule().id()), r.schedule().name(), r.at())).toList();
    }

    @Query
    @Description("Checks an expression without saving anything: valid, its kind, the error, the next five times.")
    @Permission(Perm.READ)
    public ScheduleViews.Validation validateSchedule(String expression, String timezone) {
        ScheduleService.Validation v = schedules.validate(expression, timezone);
        return new ScheduleViews.Validation(v.valid(), v.kind(), v.error(), v.nextRuns());
    }

    @Query
    @Description("The jobs a schedule created, active and archived, newest first.")
    @Permission(Perm.READ)
    public Views.JobConnection scheduleRuns(@NonNull @Id String scheduleId, JobStatus status, Integer first,
            String after) {
        Schedule s = requireVisible(scheduleId);
        int size = Cursors.pageSize(first);
        long before = after == null ? Long.MAX_VALUE : Cursors.idAfter(after);
        return Views.JobConnection.of(Cursors.Page.of(jobs.listBySchedule(s.id(), status, before, size + 1), size, after,
                job -> Cursors.ofId(job.id())));
    }

    @Query
    @Description("Runs, successes, failures, skips, mean and p95 duration and the last error of a schedule.")
    @Permission(Perm.READ)
    public ScheduleViews.Stats scheduleStats(@NonNull @Id String scheduleId) {
        requireVisible(scheduleId);
        ScheduleStore.Stats s = schedules.stats(scheduleId);
        return new ScheduleViews.Stats(scheduleId, Views.count(s.runs()), Views.count(s.successes()),
                Views.count(s.failures()), Views.count(s.skips()), s.meanDurationMs(), s.p95DurationMs(), s.lastError());
    }

    @Query
    @Description("The replica that fires schedules now, if any holds a live lease.")
    @Permission(Perm.READ)
    public ScheduleViews.Leader leader() {
        return leader.currentLeader().map(l -> new ScheduleViews.Leader(l.nodeId(), l.since(), String.valueOf(l.token())))
                .orElse(null);
    }

    @Mutation
    @Permission(Perm.SCHEDULES_WRITE)
    public ScheduleViews.ScheduleView createSchedule(@NonNull ScheduleInput input) {
        return ScheduleViews.ScheduleView.of(schedules.create(input.toRequest()));
    }

    @Mutation
    @Description("Changes the given fields; a new expression or timezone restarts the timetable from now.")
    @Permission(Perm.SCHEDULES_WRITE)
    public ScheduleViews.ScheduleView updateSchedule(@NonNull @Id String id, @NonNull ScheduleInput input) {
        requireVisible(id);
        return ScheduleViews.ScheduleView.of(schedules.update(id, input.toRequest()));
    }

    @Mutation
    @Description("Deletes a schedule; the jobs it created stay.")
    @Permission(Perm.DEFINITIONS_DELETE)
    public ScheduleViews.ScheduleView deleteSchedule(@NonNull @Id String id) {
        requireVisible(id);
        return ScheduleViews.ScheduleView.of(schedules.delete(id));
    }

    @Mutation
    @Description("Pauses one schedule, or all active ones when no id is given; returns those changed.")
    @Permission(Perm.SCHEDULES_WRITE)
    public List<ScheduleViews.ScheduleView> pauseSchedule(@Id String id) {
        requireVisibleOrAll(id);
        return schedules.pause(id).stream().map(ScheduleViews.ScheduleView::of).toList();
    }

    @Mutation
    @Description("Resumes one schedule, or all paused ones; slots missed while paused are not fired.")
    @Permission(Perm.SCHEDULES_WRITE)
    public List<ScheduleViews.ScheduleView> resumeSchedule(@Id String id) {
        requireVisibleOrAll(id);
        return schedules.resume(id).stream().map(ScheduleViews.ScheduleView::of).toList();
    }

    @Mutation
    @Description("Fires the schedule now, outside its timetable (manual schedules too); returns the job.")
    @Permission(Perm.SCHEDULES_WRITE)
    public JobView runSchedule(@NonNull @Id String id) {
        requireVisible(id);
        return JobView.of(schedules.runNow(id));
    }

    /** Whether the caller may see this schedule: its jobs go to a queue granted to it. */
    static boolean visible(Schedule schedule) {
        return Callers.queues().allows(schedule.job().queue());
    }

    /** The schedule; NOT_FOUND also when its queue is not granted to the caller. */
    private Schedule requireVisible(String id) {
        Schedule schedule = schedules.require(id);
        if (!visible(schedule)) {
            throw new NotFoundException("schedule", id);
        }
        return schedule;
    }

    /** One schedule the caller may see, or all of them, which only a caller on every queue may change at once. */
    private void requireVisibleOrAll(String id) {
        if (id != null) {
            requireVisible(id);
        } else if (!Callers.queues().all()) {
            throw new ForbiddenException("id: a caller limited to queues (" + Callers.queues() + ") must name one schedule");
        }
    }

    @Description("The schedule, when it still exists.")
    public ScheduleViews.ScheduleView schedule(@Source ScheduleViews.Event event) {
        return schedules.find(event.scheduleId(), null).map(ScheduleViews.ScheduleView::of).orElse(null);
    }

    @Description("The job, for FIRED, COMPLETED and FAILED.")
    public JobView job(@Source ScheduleViews.Event event) {
        return event.jobId() == null ? null : jobs.find(Long.parseLong(event.jobId())).map(JobView::of).orElse(null);
    }
}
