package dev.jobyard.chain.definition;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import dev.jobyard.chain.ChainEvent;
import dev.jobyard.chain.ChainEventType;
import dev.jobyard.chain.ChainEvents;
import dev.jobyard.chain.ChainNames;
import dev.jobyard.chain.TaskPayloads;
import dev.jobyard.common.BadInputException;
import dev.jobyard.common.ConflictException;
import dev.jobyard.common.JobyardException;
import dev.jobyard.common.NotFoundException;
import dev.jobyard.database.SessionTransactions;
import dev.jobyard.event.EventChannel;
import dev.jobyard.event.EventPublisher;
import dev.jobyard.queue.QueueNames;
import dev.jobyard.schedule.MisfirePolicy;
import dev.jobyard.schedule.ScheduleStore;
import dev.jobyard.schedule.expression.ScheduleExpression;
import dev.jobyard.schedule.expression.ScheduleKind;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;

/**
 * The rules for chain definitions: create, update, delete, pause, resume, and the task edits. Input is
 * checked first ({@link ChainRules}), then each change commits with its events in one transaction of the
 * Panache session; callers are blocking (resolvers on worker threads).
 */
@ApplicationScoped
public class ChainService {

    private static final String NOTIFY = "SELECT 1 FROM (SELECT pg_notify(?1, ?2)) AS n";

    private final ChainRules rules;
    private final TaskPayloads payloads;
    private final ScheduleStore clock;
    private final SessionTransactions transactions;

    ChainService(ChainRules rules, TaskPayloads payloads, ScheduleStore clock, SessionTransactions transactions) {
        this.rules = rules;
        this.payloads = payloads;
        this.clock = clock;
        this.transactions = transactions;
    }

    // ---- chains ----

    public ChainDefinition create(ChainRequest r) {
        Draft draft = draft("input", r, clock.now());
        return inTransaction(draft.chain().name, () -> insert(draft, false));
    }

    /**
     * Creates all chains or none (an import): every input is checked first (errors under {@code at(i)}), then all are
     * written in one transaction. An existing name is a CONFLICT, unless {@code replace}: then that chain is deleted
     * first (its runs and log stay with their history).
     */
    public List<ChainDefinition> createAll(List<ChainRequest> requests, boolean replace, java.util.function.IntFunction<String> at) {
        OffsetDateTime now = clock.now();
        List<Draft> drafts = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < requests.size(); i++) {
            Draft d = draft(at.apply(i), requests.get(i), now);
            if (!names.add(d.chain().name)) {
                throw new BadInputException(at.apply(i) + ".name", "'" + d.chain().name + "' is given twice");
            }
            drafts.add(d);
        }
        List<ChainDefinition> created = new ArrayList<>();
        return inTransaction(String.join(", ", names), () -> each(drafts, d -> insert(d, replace).invoke(created::add))
                .replaceWith(created));
    }

    /** A chain's rows as checked input, not yet written. */
    private record Draft(Chain chain, ChainSchedule schedule, List<ChainRules.ValidTask> tasks) {
    }

    private Draft draft(String at, ChainRequest r, OffsetDateTime now) {
        String name = ChainNames.check(at + ".name", r.name());
        ScheduleExpression expression = rules.expression(at, r.schedule(), r.timezone(), now);
        ChainSchedule s = new ChainSchedule();
        s.name = ChainNames.scheduleName(name);
        s.jobKind = TaskPayloads.CHAIN_KIND;
        s.jobPayload = "{}"; // the chain's id once the row has one
        s.anchorAt = now;
        s.createdAt = now;
        s.status = Boolean.FALSE.equals(r.live()) ? "PAUSED" : "ACTIVE";
        s.misfirePolicy = (r.misfirePolicy() == null ? MisfirePolicy.FIRE_ONCE : r.misfirePolicy()).name();
        s.priority = 0;
        s.maxAttempts = 1;
        s.queue = QueueNames.check(at + ".queue", null);
        Chain c = new Chain();
        c.name = name;
        c.createdAt = now;
        try {
            apply(r, c, s, expression, now, true);
        } catch (BadInputException e) {
            throw at.equals("input") || !e.field().startsWith("input.") ? e
                    : new BadInputException(at + e.field().substring("input".length()), e.problem());
        }
        List<ChainRules.ValidTask> tasks = rules.tasks(at, r.tasks() == null ? List.of() : r.tasks());
        return new Draft(c, s, tasks);
    }

    private Uni<ChainDefinition> insert(Draft d, boolean replace) {
        Chain c = d.chain();
        ChainSchedule s = d.schedule();
        Uni<Void> cleared = replace
                ? Chain.<Chain>find("name", c.name).firstResult().chain(old -> old == null ? Uni.createFrom().voidItem()
                        : announce(old, ChainEventType.DELETED, null, "replaced by an import")
                                .chain(() -> ChainSchedule.delete("id", old.id)).replaceWithVoid()
                                .chain(() -> Panache.getSession()).chain(session -> session.flush()))
                : Chain.count("name", c.name).invoke(n -> {
                    if (n > 0) {
                        throw new ConflictException("a chain named '" + c.name + "' exists already");
                    }
                }).replaceWithVoid();
        return cleared.chain(() -> s.persist()).chain(() -> {
            c.id = s.id;
            s.jobPayload = runPayload(c);
            return c.persist();
        }).chain(() -> insertTasks(c.id, d.tasks()))
                .chain(() -> announce(c, ChainEventType.CREATED, null, "CREATED"))
                .chain(() -> load(c.id));
    }

    public ChainDefinition update(long id, ChainRequest r) {
        String name = r.name() == null ? null : ChainNames.check("input.name", r.name());
        List<ChainRules.ValidTask> tasks = r.tasks() == null ? null : rules.tasks("input", r.tasks());
        OffsetDateTime now = clock.now();
        return inTransaction(name, () -> lock(id).chain(found -> {
            Chain c = found.chain();
            ChainSchedule s = found.schedule();
            boolean timingChanged = r.schedule() != null || r.timezone() != null;
            OffsetDateTime anchor = timingChanged ? now : s.anchorAt;
            ScheduleExpression expression = rules.expression("input", r.schedule() != null ? r.schedule() : s.expression,
                    r.timezone() != null ? r.timezone() : s.timezone, anchor);
            if (timingChanged) {
                s.anchorAt = now;
            }
            String oldStatus = s.status;
            if (name != null) {
                c.name = name;
                s.name = ChainNames.scheduleName(name);
            }
            if (r.live() != null) {
                s.status = r.live() ? "ACTIVE" : "PAUSED";
            } else if ("BROKEN".equals(s.status)) {
                s.status = "ACTIVE"; // an update that evaluates repairs it, as updateSchedule does
            }
            if (r.misfirePolicy() != null) {
                s.misfirePolicy = r.misfirePolicy().name();
            }
            apply(r, c, s, expression, now, timingChanged || !s.status.equals(oldStatus));
            s.jobPayload = runPayload(c);
            Uni<Void> replaced = tasks == null ? Uni.createFrom().voidItem()
                    : ChainTask.delete("chainId", id).replaceWithVoid().chain(() -> insertTasks(id, tasks));
            return replaced.chain(() -> announce(c, ChainEventType.UPDATED, null, "UPDATED")).chain(() -> load(id));
        }));
    }

    public ChainDefinition delete(long id) {
        return inTransaction(null, () -> lock(id).chain(found -> announce(found.chain(), ChainEventType.DELETED, null, "DELETED")
                // The chain, its tasks and parameters go with the schedule row (ON DELETE CASCADE).
                .chain(() -> ChainSchedule.delete("id", id)).replaceWith(found)));
    }

    public ChainDefinition pause(long id) {
        return setLive(id, false);
    }

    public ChainDefinition resume(long id) {
        return setLive(id, true);
    }

    private ChainDefinition setLive(long id, boolean live) {
        OffsetDateTime now = clock.now();
        return inTransaction(null, () -> lock(id).chain(found -> {
            ChainSchedule s = found.schedule();
            String target = live ? "ACTIVE" : "PAUSED";
            if (target.equals(s.status) || "BROKEN".equals(s.status)) {
                return Uni.createFrom().item(found);
            }
            s.status = target;
            if (live) {
                ScheduleExpression expression = ScheduleExpression.parse(s.expression, s.timezone, s.anchorAt.toInstant());
                s.nextRunAt = nextOnResume(expression, s, now);
            }
            s.updatedAt = now;
            found.chain().updatedAt = now;
            return announce(found.chain(), live ? ChainEventType.RESUMED : ChainEventType.PAUSED, null,
                    live ? "RESUMED" : "PAUSED").chain(() -> load(id));
        }));
    }

    public Optional<ChainDefinition> find(Long id, String name) {
        if ((id == null) == (name == null)) {
            throw new BadInputException(id == null ? "id" : "name", "give exactly one of id and name");
        }
        return Optional.ofNullable(read(() -> (id != null ? Chain.<Chain>findById(id)
                : Chain.<Chain>find("name", name).firstResult()).chain(c -> c == null ? Uni.createFrom().nullItem() : load(c.id))));
    }

    /** The id of the chain a task belongs to, if the task exists. */
    public Optional<Long> chainOfTask(long taskId) {
        return Optional.ofNullable(read(() -> ChainTask.<ChainTask>findById(taskId).map(t -> t == null ? null : t.chainId)));
    }

    public ChainDefinition require(long id) {
        return find(id, null).orElseThrow(() -> new NotFoundException("chain", id));
    }

    /** Chains in id order after {@code afterId}; {@code status} ACTIVE, PAUSED or BROKEN, or null for all. */
    public List<ChainDefinition> list(String status, long afterId, int limit) {
        return read(() -> ChainSchedule.<ChainSchedule>find(
                "jobKind = ?1 and id > ?2 and id in (select c.id from Chain c)" + (status == null ? "" : " and status = ?3")
                        + " order by id",
                status == null ? new Object[] { TaskPayloads.CHAIN_KIND, afterId }
                        : new Object[] { TaskPayloads.CHAIN_KIND, afterId, status })
                .page(0, limit).list().chain(schedules -> {
                    List<ChainDefinition> out = new ArrayList<>();
                    return each(schedules, s -> load(s.id).invoke(out::add)).replaceWith(out);
                }));
    }

    // ---- tasks ----

    public ChainDefinition addTask(long chainId, TaskRequest t, Long afterTaskId) {
        return inTransaction(null, () -> lock(chainId).chain(found -> {
            List<ChainDefinition.TaskDefinition> tasks = found.tasks();
            double order;
            if (afterTaskId == null) {
                order = tasks.isEmpty() ? ChainRules.ORDER_STEP : tasks.get(tasks.size() - 1).task().order + ChainRules.ORDER_STEP;
            } else {
                int at = indexOf(tasks, afterTaskId, "afterTaskId");
                double before = tasks.get(at).task().order;
                order = at + 1 < tasks.size() ? (before + tasks.get(at + 1).task().order) / 2 : before + ChainRules.ORDER_STEP;
            }
            ChainRules.ValidTask task = rules.task("input", t, null, order);
            if (tasks.stream().anyMatch(d -> d.task().order == task.order())) {
                throw new BadInputException("input.order", "another task of the chain has order " + task.order());
            }
            return insertTasks(chainId, List.of(task))
                    .chain(() -> announce(found.chain(), ChainEventType.UPDATED, null, "task added"))
                    .chain(() -> load(chainId));
        }));
    }

    public ChainDefinition updateTask(long taskId, TaskRequest t) {
        return withTask(taskId, (found, index) -> {
            ChainDefinition.TaskDefinition old = found.tasks().get(index);
            ChainRules.ValidTask task = rules.task("input", t, valid(old), old.task().order);
            if (found.tasks().stream().anyMatch(d -> d.task().id != taskId && d.task().order == task.order())) {
                throw new BadInputException("input.order", "another task of the chain has order " + task.order());
            }
            ChainTask row = old.task();
            copy(task, row);
            Uni<Void> params = t.parameters() == null ? Uni.createFrom().voidItem() : replaceParameters(taskId, task.parameters());
            return params.chain(() -> announce(found.chain(), ChainEventType.UPDATED, null, "task " + taskId + " updated"));
        });
    }

    public ChainDefinition deleteTask(long taskId) {
        return withTask(taskId, (found, index) -> ChainTask.delete("id", taskId)
                .chain(() -> announce(found.chain(), ChainEventType.UPDATED, null, "task " + taskId + " deleted")));
    }

    /** Swaps the task's order with its neighbour's; at either end nothing changes. */
    public ChainDefinition moveTask(long taskId, boolean up) {
        return withTask(taskId, (found, index) -> {
            int other = up ? index - 1 : index + 1;
            if (other < 0 || other >= found.tasks().size()) {
                return Uni.createFrom().voidItem();
            }
            ChainTask a = found.tasks().get(index).task();
            ChainTask b = found.tasks().get(other).task();
            double orderA = a.order;
            double orderB = b.order;
            // (chain_id, task_order) is unique: park one order first, outside the chain's range.
            a.order = -Math.abs(orderA) - Math.abs(orderB) - 1;
            return Panache.getSession().chain(session -> session.flush()).chain(() -> {
                b.order = orderA;
                return Panache.getSession().chain(session -> session.flush());
            }).chain(() -> {
                a.order = orderB;
                return announce(found.chain(), ChainEventType.UPDATED, null, "task " + taskId + " moved " + (up ? "up" : "down"));
            });
        });
    }

    public ChainDefinition setParameters(long taskId, List<Object> values) {
        return withTask(taskId, (found, index) -> {
            ChainTask t = found.tasks().get(index).task();
            List<String> checked = rules.parameters("parameters", t.kind, t.command, json(t.payload),
                    payloads.handler("kind", t.kind), values == null ? List.of() : values);
            return replaceParameters(taskId, checked)
                    .chain(() -> announce(found.chain(), ChainEventType.UPDATED, null, "task " + taskId + " parameters set"));
        });
    }

    // ---- the transaction's steps ----

    private interface TaskEdit {
        Uni<Void> apply(ChainDefinition found, int index);
    }

    private ChainDefinition withTask(long taskId, TaskEdit edit) {
        return inTransaction(null, () -> ChainTask.<ChainTask>findById(taskId).chain(task -> {
            if (task == null) {
                throw new NotFoundException("chain task", taskId);
            }
            return lock(task.chainId).chain(found -> edit.apply(found, indexOf(found.tasks(), taskId, "id"))
                    .chain(() -> {
                        found.chain().updatedAt = OffsetDateTime.now();
                        return load(task.chainId);
                    }));
        }));
    }

    private static int indexOf(List<ChainDefinition.TaskDefinition> tasks, long taskId, String field) {
        for (int i = 0; i < tasks.size(); i++) {
            if (tasks.get(i).task().id == taskId) {
                return i;
            }
        }
        throw new NotFoundException("chain task", taskId);
    }

    /** Applies the chain-level fields of {@code r} (null keeps); {@code retime} recomputes the next slot. */
    private static void apply(ChainRequest r, Chain c, ChainSchedule s, ScheduleExpression expression, OffsetDateTime now,
            boolean retime) {
        if (r.description() != null) {
            c.description = ChainRules.text("input.description", r.description(), ChainRules.MAX_TEXT);
            s.description = c.description;
        }
        if (r.clientName() != null) {
            c.clientName = r.clientName().isEmpty() ? null : ChainRules.text("input.clientName", r.clientName(), ChainRules.MAX_CLIENT_NAME);
        }
        if (r.onError() != null) {
            c.onError = r.onError().isBlank() ? null : ChainRules.text("input.onError", r.onError(), ChainRules.MAX_TEXT);
        }
        if (r.timeoutSeconds() != null) {
            c.timeoutSeconds = r.timeoutSeconds() == 0 ? null : ChainRules.atLeastOne("input.timeoutSeconds", r.timeoutSeconds());
        }
        if (r.maxInstances() != null) {
            s.maxInstances = r.maxInstances() == 0 ? null : ChainRules.atLeastOne("input.maxInstances", r.maxInstances());
        }
        if (r.maxAttempts() != null) {
            s.maxAttempts = ChainRules.atLeastOne("input.maxAttempts", r.maxAttempts());
        }
        if (r.queue() != null) {
            s.queue = QueueNames.check("input.queue", r.queue());
        }
        if (r.selfDestruct() != null) {
            s.selfDestruct = r.selfDestruct();
        }
        if (r.exclusive() != null) {
            s.exclusive = r.exclusive();
        }
        s.expression = expression.expression();
        s.kind = expression.kind().name();
        s.timezone = expression.zone().getId();
        if (retime) {
            s.nextRunAt = "ACTIVE".equals(s.status) || s.nextRunAt == null && "PAUSED".equals(s.status)
                    ? ChainRules.first(expression, now) : s.nextRunAt;
        }
        s.updatedAt = now;
        c.updatedAt = now;
    }

    /**
     * The payload of the runs the schedule fires: the chain, and its client name, from which the engine sets the
     * job's {@code client_name} column (the claim's filter) on insert ({@code ChainHandler.clientName}).
     */
    private static String runPayload(Chain c) {
        JsonObject payload = new JsonObject().put("chainId", c.id);
        if (c.clientName != null) {
            payload.put("clientName", c.clientName);
        }
        return payload.encode();
    }

    private static OffsetDateTime nextOnResume(ScheduleExpression expression, ChainSchedule s, OffsetDateTime now) {
        if (expression.kind() == ScheduleKind.ONCE) {
            return s.nextRunAt == null ? null : s.nextRunAt.isBefore(now) ? now : s.nextRunAt;
        }
        return ChainRules.first(expression, now);
    }

    private Uni<Void> insertTasks(long chainId, List<ChainRules.ValidTask> tasks) {
        return each(tasks, v -> {
            ChainTask row = new ChainTask();
            row.chainId = chainId;
            copy(v, row);
            return row.persist().chain(() -> replaceParameters(row.id, v.parameters()));
        });
    }

    private static void copy(ChainRules.ValidTask v, ChainTask row) {
        row.order = v.order();
        row.name = v.name();
        row.kind = v.kind();
        row.command = v.command();
        row.payload = v.payload() == null ? null : v.payload().encode();
        row.ignoreError = v.ignoreError();
        row.autonomous = v.autonomous();
        row.timeoutSeconds = v.timeoutSeconds();
    }

    private static Uni<Void> replaceParameters(long taskId, List<String> values) {
        List<ChainParameter> rows = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            ChainParameter p = new ChainParameter();
            p.taskId = taskId;
            p.orderId = i + 1;
            p.value = values.get(i);
            rows.add(p);
        }
        return ChainParameter.delete("taskId", taskId).chain(() -> Panache.getSession())
                .chain(session -> session.flush())
                .chain(() -> each(rows, p -> p.persist()));
    }

    /** The chain, its schedule row locked FOR UPDATE (the firer's lock), and its tasks. */
    private Uni<ChainDefinition> lock(long id) {
        return ChainSchedule.<ChainSchedule>findById(id, LockModeType.PESSIMISTIC_WRITE).chain(s -> {
            if (s == null || !TaskPayloads.CHAIN_KIND.equals(s.jobKind)) {
                throw new NotFoundException("chain", id);
            }
            return load(id);
        }).invoke(found -> {
            if (found == null) {
                throw new NotFoundException("chain", id);
            }
        });
    }

    private static Uni<ChainDefinition> load(long id) {
        return Chain.<Chain>findById(id).chain(c -> {
            if (c == null) {
                return Uni.createFrom().nullItem();
            }
            return ChainSchedule.<ChainSchedule>findById(id).chain(s -> ChainTask.<ChainTask>list("chainId = ?1 order by order", id)
                    .chain(tasks -> ChainParameter.<ChainParameter>list(
                            "taskId in ?1 order by taskId, orderId", tasks.stream().map(t -> t.id).toList())
                            .map(params -> {
                                List<ChainDefinition.TaskDefinition> defs = new ArrayList<>();
                                for (ChainTask t : tasks) {
                                    defs.add(new ChainDefinition.TaskDefinition(t, params.stream()
                                            .filter(p -> p.taskId.equals(t.id))
                                            .sorted(Comparator.comparing(p -> p.orderId))
                                            .map(p -> ChainRules.TaskRules.parse(p.value)).toList()));
                                }
                                return new ChainDefinition(c, s, defs);
                            })));
        });
    }

    private static ChainRules.ValidTask valid(ChainDefinition.TaskDefinition d) {
        ChainTask t = d.task();
        return new ChainRules.ValidTask(t.order, t.name, t.kind, t.command, json(t.payload),
                d.parameters().stream().map(ChainRules.TaskRules::encode).toList(), t.ignoreError, t.autonomous,
                t.timeoutSeconds);
    }

    private static JsonObject json(String text) {
        return text == null ? null : new JsonObject(text);
    }

    /**
     * NOTIFYs the chain event and, for the firer, the matching event of its schedule (a new or changed
     * next slot may be the earliest now), on the session's connection: they go out when the change commits.
     */
    private static Uni<Void> announce(Chain c, ChainEventType type, Long runId, String detail) {
        OffsetDateTime at = OffsetDateTime.now();
        List<String> messages = new ArrayList<>(EventPublisher.messages(ChainEvents.TYPE,
                List.of(ChainEvents.toJson(new ChainEvent(c.id, c.name, type, runId, null, at, detail)))));
        String scheduleType = switch (type) {
            case CREATED, DELETED, PAUSED, RESUMED -> type.name();
            default -> "UPDATED";
        };
        messages.addAll(EventPublisher.messages("schedule", List.of(new JsonObject().put("id", c.id)
                .put("name", ChainNames.scheduleName(c.name)).put("type", scheduleType).putNull("job")
                .put("at", at.toString()).putNull("detail"))));
        return Panache.getSession().chain(session -> each(messages, m -> session.createNativeQuery(NOTIFY, Integer.class)
                .setParameter(1, EventChannel.NAME).setParameter(2, m).getSingleResult()));
    }

    static <T> Uni<Void> each(List<T> items, Function<T, Uni<?>> step) {
        Uni<Void> all = Uni.createFrom().voidItem();
        for (T item : items) {
            all = all.chain(() -> step.apply(item)).replaceWithVoid();
        }
        return all;
    }

    /** One transaction of the session, with the audit record of the mutation that makes it (SessionTransactions). */
    private <T> T inTransaction(String name, Supplier<Uni<T>> work) {
        try {
            return transactions.inTransaction(work);
        } catch (Throwable t) {
            throw translate(t, name);
        }
    }

    private static <T> T read(Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(work));
        } catch (Throwable t) {
            throw translate(t, null);
        }
    }

    private static RuntimeException translate(Throwable t, String name) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof JobyardException e) {
                return e;
            }
            if (c instanceof PgException pg && "23505".equals(pg.getSqlState())) {
                return new ConflictException("a chain named '" + name + "' exists already");
            }
        }
        return t instanceof RuntimeException r ? r : new IllegalStateException(t);
    }
}
