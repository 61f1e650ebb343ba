package dev.jobyard.api;

import java.io.StringReader;
import java.time.OffsetDateTime;
import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Name;

import dev.jobyard.chain.ChainEventType;
import dev.jobyard.chain.definition.ChainDefinition;
import dev.jobyard.chain.definition.ChainSchedule;
import dev.jobyard.chain.definition.ChainTask;
import dev.jobyard.chain.run.ChainLogEntry;
import dev.jobyard.schedule.MisfirePolicy;
import dev.jobyard.schedule.ScheduleStatus;
import jakarta.json.Json;

/** The GraphQL types of chains. */
public final class ChainViews {

    private ChainViews() {
    }

    @Name("Chain")
    @Description("A pg_timetable-style chain: ordered tasks run as one job of kind 'chain' per run.")
    public record ChainView(@Id String id, String name, String description,
            @Description("The expression as given; 'manual' for chains run only by runChain.") String schedule,
            String timezone, boolean live, ScheduleStatus status, Integer maxInstances, Integer timeoutSeconds,
            boolean selfDestruct, boolean exclusive, String clientName, String onError, int maxAttempts, String queue,
            MisfirePolicy misfirePolicy, List<ChainTaskView> tasks, OffsetDateTime createdAt, OffsetDateTime updatedAt,
            OffsetDateTime lastRunAt, @Description("Null when nothing is due: manual, @reboot, paused or a spent one-off.")
            OffsetDateTime nextRunAt) {

        static ChainView of(ChainDefinition d) {
            ChainSchedule s = d.schedule();
            ScheduleStatus status = ScheduleStatus.valueOf(s.status);
            return new ChainView(String.valueOf(d.chain().id), d.chain().name, d.chain().description, s.expression,
                    s.timezone, status == ScheduleStatus.ACTIVE, status, s.maxInstances, d.chain().timeoutSeconds,
                    s.selfDestruct, s.exclusive, d.chain().clientName, d.chain().onError, s.maxAttempts, s.queue,
                    MisfirePolicy.valueOf(s.misfirePolicy), d.tasks().stream().map(ChainTaskView::of).toList(),
                    d.chain().createdAt, d.chain().updatedAt, s.lastRunAt,
                    status == ScheduleStatus.ACTIVE ? s.nextRunAt : null);
        }
    }

    @Name("ChainTask")
    public record ChainTaskView(@Id String id, double order, String name, String kind, String command,
            jakarta.json.JsonObject payload,
            @Description("One element per execution, in order; empty: the task runs once.") List<jakarta.json.JsonValue> parameters,
            boolean ignoreError, boolean autonomous, Integer timeoutSeconds) {

        static ChainTaskView of(ChainDefinition.TaskDefinition d) {
            ChainTask t = d.task();
            return new ChainTaskView(String.valueOf(t.id), t.order, t.name, t.kind, t.command,
                    t.payload == null ? null : (jakarta.json.JsonObject) value(t.payload),
                    d.parameters().stream().map(p -> value(io.vertx.core.json.Json.encode(p))).toList(), t.ignoreError,
                    t.autonomous, t.timeoutSeconds);
        }
    }

    @Name("ChainConnection")
    public record ChainConnection(List<ChainView> nodes, String endCursor, boolean hasNextPage) {
    }

    @Name("ChainLogEntry")
    @Description("One execution of one task (pg_timetable's execution_log row); kept and deleted with the run's history.")
    public record LogEntryView(@Id String id, String cursor, @Id String runId, @Id String chainId, @Id String taskId,
            String taskName, @Description("Which parameter set (1...n); null for a task without parameters.") Integer parameterIndex,
            @Description("txid_current() of the run's transaction.") String txid, OffsetDateTime startedAt,
            OffsetDateTime finishedAt, @Description("0 for success, else failure.") int returnCode, String output,
            jakarta.json.JsonValue params, String worker, String clientName) {

        static LogEntryView of(ChainLogEntry e) {
            return new LogEntryView(String.valueOf(e.id()), Cursors.ofId(e.id()), String.valueOf(e.runId()),
                    String.valueOf(e.chainId()), e.taskId() == null ? null : String.valueOf(e.taskId()), e.taskName(),
                    e.parameterIndex(), e.txid() == null ? null : String.valueOf(e.txid()), e.startedAt(), e.finishedAt(),
                    e.returnCode(), e.output(), e.params() == null ? null : value(e.params()), e.worker(), e.clientName());
        }
    }

    @Name("ChainLogConnection")
    public record ChainLogConnection(List<LogEntryView> nodes, String endCursor, boolean hasNextPage) {
    }

    @Name("ChainEvent")
    public record EventView(@Id String chainId, @Description("Null for run ends heard from the job.") String chainName,
            ChainEventType type, @Id String runId, @Id String taskId, OffsetDateTime at, String detail) {
    }

    static jakarta.json.JsonValue value(String json) {
        try (var reader = Json.createReader(new StringReader(json))) {
            return reader.readValue();
        }
    }
}
