package dev.jobyard.api;

import java.time.OffsetDateTime;
import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Name;

import dev.jobyard.schedule.MisfirePolicy;
import dev.jobyard.schedule.Schedule;
import dev.jobyard.schedule.ScheduleEventType;
import dev.jobyard.schedule.ScheduleStatus;
import dev.jobyard.schedule.expression.ScheduleKind;

/** The GraphQL types of schedules. */
public final class ScheduleViews {

    private ScheduleViews() {
    }

    @Name("Schedule")
    public record ScheduleView(@Id String id, String name, String description,
            @Description("The expression as given; 'manual' for manual schedules.") String schedule, ScheduleKind kind,
            String timezone, String jobKind, jakarta.json.JsonObject payload, String queue, int priority,
            int maxAttempts, Integer timeoutSeconds, ScheduleStatus status, Integer maxInstances, boolean selfDestruct,
            boolean exclusive, MisfirePolicy misfirePolicy, OffsetDateTime createdAt, OffsetDateTime updatedAt,
            OffsetDateTime lastRunAt, @Description("Null when nothing is due: manual, @reboot, paused, broken or a spent one-off.")
            OffsetDateTime nextRunAt,
            @Description("Why the firer set the schedule aside (status BROKEN); null otherwise. updateSchedule repairs it.")
            String error) {

        static ScheduleView of(Schedule s) {
            return new ScheduleView(String.valueOf(s.id()), s.name(), s.description(), s.expression(), s.kind(),
                    s.timezone(), s.job().kind(), JsonValues.toGraphQL(s.job().payload()), s.job().queue(),
                    s.job().priority(), s.job().maxAttempts(), s.job().timeoutSeconds(), s.status(), s.maxInstances(),
                    s.selfDestruct(), s.exclusive(), s.misfirePolicy(), s.createdAt(), s.updatedAt(), s.lastRunAt(),
                    s.status() == ScheduleStatus.ACTIVE ? s.nextRunAt() : null, s.error());
        }
    }

    @Name("ScheduleConnection")
    public record ScheduleConnection(List<ScheduleView> nodes, String endCursor, boolean hasNextPage) {
    }

    @Name("ScheduleValidation")
    public record Validation(boolean valid, ScheduleKind kind, String error,
            @Description("The next five fire times from now.") List<OffsetDateTime> nextRuns) {
    }

    @Name("NextRun")
    public record NextRun(@Id String scheduleId, String scheduleName, OffsetDateTime at) {
    }

    @Name("ScheduleStats")
    public record Stats(@Id String scheduleId, int runs, int successes, int failures, int skips, Double meanDurationMs,
            Double p95DurationMs, String lastError) {
    }

    @Name("Leader")
    public record Leader(String nodeId, OffsetDateTime since, @Description("Grows by one at each change of leader (another node id taking the lease).")
            String fencingToken) {
    }

    @Name("ScheduleEvent")
    public record Event(@Id String scheduleId, String scheduleName, ScheduleEventType type, @Id String jobId,
            OffsetDateTime at, String detail) {
    }
}
