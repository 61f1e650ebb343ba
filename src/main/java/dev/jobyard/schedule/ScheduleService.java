package dev.jobyard.schedule;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.common.BadInputException;
import dev.jobyard.common.ConflictException;
import dev.jobyard.common.NotFoundException;
import dev.jobyard.database.Sql;
import dev.jobyard.job.Job;
import dev.jobyard.job.JobRequest;
import dev.jobyard.job.JobService;
import dev.jobyard.job.JobStore;
import dev.jobyard.job.NewJob;
import dev.jobyard.schedule.expression.ScheduleExpression;
import dev.jobyard.schedule.expression.ScheduleKind;
import io.vertx.pgclient.PgException;

/**
 * The rules for schedules: validation, create, update, delete, pause, resume and run-now, plus the
 * read-side questions (next runs, runs, stats). Bad input throws and changes nothing.
 */
@ApplicationScoped
public class ScheduleService {

    static final int MAX_NAME = 200;

    private final Sql sql;
    private final ScheduleStore store;
    private final SlotFirer firer;
    private final ScheduleEvents events;
    private final JobService jobs;
    private final JobStore jobStore;

    ScheduleService(Sql sql, ScheduleStore store, SlotFirer firer, ScheduleEvents events, JobService jobs,
            JobStore jobStore) {
        this.jobStore = jobStore;
        this.sql = sql;
        this.store = store;
        this.firer = firer;
        this.events = events;
        this.jobs = jobs;
    }

    public Schedule create(ScheduleRequest r) {
        String name = checkName(r.name());
        if (r.jobKind() == null) {
            throw new BadInputException("input.jobKind", "is required");
        }
        return withNameConflict(name, () -> sql.inTransaction(tx -> {
            OffsetDateTime now = store.now(tx);
            ScheduleExpression expression = parseInput(r.schedule(), r.timezone(), now);
            NewJob job = template(r, null);
            Schedule draft = new Schedule(0, name, r.description(), expression.expression(), expression.kind(),
                    expression.zone().getId(), toTemplate(job), ScheduleStatus.ACTIVE, maxInstances(r.maxInstances()),
                    Boolean.TRUE.equals(r.selfDestruct()), Boolean.TRUE.equals(r.exclusive()),
                    r.misfirePolicy() == null ? MisfirePolicy.FIRE_ONCE : r.misfirePolicy(), now, now, now, null,
                    first(expression, now), null);
            Schedule created = store.insert(tx, draft);
            events.publish(tx, created, ScheduleEventType.CREATED, null, null);
            return created;
        }));
    }

    public Schedule update(String id, ScheduleRequest r) {
        long scheduleId = parseId(id);
        String name = r.name() == null ? null : checkName(r.name());
        return withNameConflict(name, () -> sql.inTransaction(tx -> {
            Schedule old = store.lock(tx, scheduleId).orElseThrow(() -> new NotFoundException("schedule", scheduleId));
            OffsetDateTime now = store.now(tx);
            boolean timingChanged = r.schedule() != null || r.timezone() != null;
            // A new expression counts from now: intervals and @after restart at the change.
            OffsetDateTime anchor = timingChanged ? now : old.anchorAt();
            ScheduleExpression expression = parseInput(r.schedule() != null ? r.schedule() : old.expression(),
                    r.timezone() != null ? r.timezone() : old.timezone(), anchor);
            NewJob job = template(r, old.job());
            // An update that evaluates repairs a BROKEN schedule: it is active again, its timetable from now.
            boolean repaired = old.status() == ScheduleStatus.BROKEN;
            // A paused schedule keeps its next slot too (hidden until resumed), so that a one-off is not lost.
            OffsetDateTime next = timingChanged || repaired ? first(expression, now) : old.nextRunAt();
            ScheduleStatus status = repaired ? ScheduleStatus.ACTIVE : old.status();
            Schedule merged = new Schedule(old.id(), name != null ? name : old.name(),
                    r.description() != null ? r.description() : old.description(), expression.expression(),
                    expression.kind(), expression.zone().getId(), toTemplate(job), status,
                    r.maxInstances() != null ? maxInstances(r.maxInstances()) : old.maxInstances(),
                    r.selfDestruct() != null ? r.selfDestruct() : old.selfDestruct(),
                    r.exclusive() != null ? r.exclusive() : old.exclusive(),
                    r.misfirePolicy() != null ? r.misfirePolicy() : old.misfirePolicy(), anchor, old.createdAt(), now,
                    old.lastRunAt(), next, null);
            Schedule updated = store.update(tx, merged);
            events.publish(tx, updated, ScheduleEventType.UPDATED, null, null);
            return updated;
        }));
    }

    public Schedule delete(String id) {
        long scheduleId = parseId(id);
        return sql.inTransaction(tx -> {
            Schedule deleted = store.delete(tx, scheduleId).orElseThrow(() -> new NotFoundException("schedule", scheduleId));
            events.publish(tx, deleted, ScheduleEventType.DELETED, null, null);
            return deleted;
        });
    }

    /** Pauses one schedule, or every active one when {@code id} is null; returns those it changed. */
    public List<Schedule> pause(String id) {
        return setStatus(id, ScheduleStatus.ACTIVE, ScheduleStatus.PAUSED, ScheduleEventType.PAUSED);
    }

    /**
     * Resumes one schedule, or every paused one; slots missed while paused are not fired. A BROKEN schedule is
     * not resumed: updateSchedule repairs it.
     */
    public List<Schedule> resume(String id) {
        return setStatus(id, ScheduleStatus.PAUSED, ScheduleStatus.ACTIVE, ScheduleEventType.RESUMED);
    }

    private List<Schedule> setStatus(String id, ScheduleStatus from, ScheduleStatus to, ScheduleEventType type) {
        Long scheduleId = id == null ? null : parseId(id);
        return sql.inTransaction(tx -> {
            List<Schedule> targets;
            if (scheduleId == null) {
                targets = store.lockAllWithStatus(tx, from);
            } else {
                Schedule one = store.lock(tx, scheduleId).orElseThrow(() -> new NotFoundException("schedule", scheduleId));
                targets = one.status() == from ? List.of(one) : List.of();
            }
            OffsetDateTime now = store.now(tx);
            List<Schedule> changed = new ArrayList<>();
            for (Schedule s : targets) {
                OffsetDateTime next = to == ScheduleStatus.PAUSED ? s.nextRunAt()
                        : firstAfterResume(parse(s.expression(), s.timezone(), s.anchorAt()), s, now);
                Schedule updated = store.setStatus(tx, s.id(), to, next);
                events.publish(tx, updated, type, null, null);
                changed.add(updated);
            }
            if (scheduleId != null && changed.isEmpty()) {
                changed.add(store.find(scheduleId).orElseThrow());
            }
            return changed;
        });
    }

    /** Fires the schedule now, outside its timetable (also when manual or paused); returns the job. */
    public Job runNow(String id) {
        long scheduleId = parseId(id);
        return sql.inTransaction(tx -> {
            Schedule s = store.lock(tx, scheduleId).orElseThrow(() -> new NotFoundException("schedule", scheduleId));
            if (s.status() == ScheduleStatus.BROKEN) {
                throw new ConflictException("schedule " + scheduleId + " is BROKEN (" + s.error()
                        + "); repair it with updateSchedule first");
            }
            OffsetDateTime now = store.now(tx);
            long created = firer.fire(tx, s, now, false)
                    .orElseThrow(() -> new ConflictException("schedule " + scheduleId + " was fired at this instant already"));
            store.advance(tx, s.id(), now, s.nextRunAt());
            return jobStore.findAll(tx, List.of(created)).get(0);
        });
    }

    public Optional<Schedule> find(String id, String name) {
        if ((id == null) == (name == null)) {
            throw new BadInputException(id == null ? "id" : "name", "give exactly one of id and name");
        }
        return id != null ? store.find(parseId(id)) : store.findByName(name);
    }

    public Schedule require(String id) {
        long scheduleId = parseId(id);
        return store.find(scheduleId).orElseThrow(() -> new NotFoundException("schedule", scheduleId));
    }

    public List<Schedule> list(ScheduleStatus status, long afterId, int limit) {
        return store.list(status, afterId, limit);
    }

    /** Whether an expression is valid, its kind, and its next five times from now. */
    public record Validation(boolean valid, ScheduleKind kind, String error, List<OffsetDateTime> nextRuns) {
    }

    public Validation validate(String expression, String timezone) {
        OffsetDateTime now = store.now();
        try {
            ScheduleExpression parsed = ScheduleExpression.parse(expression, timezone, now.toInstant());
            return new Validation(true, parsed.kind(), null,
                    parsed.next(now.toInstant().minusNanos(1000), 5).stream().map(ScheduleService::utc).toList());
        } catch (BadInputException e) {
            return new Validation(false, null, e.getMessage(), List.of());
        }
    }

    public record NextRun(Schedule schedule, OffsetDateTime at) {
    }

    /** The next {@code count} fire times of one schedule, or of all active ones merged in time order. */
    public List<NextRun> nextRuns(int count, String scheduleId) {
        if (count < 1 || count > 1000) {
            throw new BadInputException("count", "must be between 1 and 1000, got " + count);
        }
        List<Schedule> targets = scheduleId != null ? List.of(require(scheduleId)) : store.listActive();
        List<NextRun> runs = new ArrayList<>();
        for (Schedule s : targets) {
            if (s.status() != ScheduleStatus.ACTIVE || s.nextRunAt() == null) {
                continue;
            }
            ScheduleExpression expression = parse(s.expression(), s.timezone(), s.anchorAt());
            runs.add(new NextRun(s, s.nextRunAt()));
            expression.next(s.nextRunAt().toInstant(), count - 1).forEach(t -> runs.add(new NextRun(s, utc(t))));
        }
        runs.sort(Comparator.comparing(NextRun::at).thenComparing(r -> r.schedule().id()));
        return runs.size() > count ? runs.subList(0, count) : runs;
    }

    public ScheduleStore.Stats stats(String scheduleId) {
        return store.stats(require(scheduleId).id());
    }

    // ---- rules ----

    /**
     * An expression given in a create or update: errors name the input's field (input.schedule,
     * input.timezone), and a one-off whose time has passed is refused rather than never firing.
     */
    private static ScheduleExpression parseInput(String expression, String timezone, OffsetDateTime anchor) {
        ScheduleExpression parsed;
        try {
            parsed = parse(expression, timezone, anchor);
        } catch (BadInputException e) {
            throw e.under("input");
        }
        if (parsed.kind() == ScheduleKind.ONCE && first(parsed, anchor) == null) {
            throw new BadInputException("input.schedule", "'" + expression + "' is in the past, so it would never fire");
        }
        return parsed;
    }

    static ScheduleExpression parse(String expression, String timezone, OffsetDateTime anchor) {
        return ScheduleExpression.parse(expression, timezone, anchor.toInstant());
    }

    /** The first slot of a new or re-timed schedule: a one-off "now" fires at once, others strictly later. */
    static OffsetDateTime first(ScheduleExpression expression, OffsetDateTime now) {
        return expression.nextAfter(now.toInstant().minusNanos(1000)).map(ScheduleService::utc).orElse(null);
    }

    /**
     * On resume: the next slot from now. A one-off keeps the slot it had when paused: none if it was spent (fired,
     * or skipped by its misfire policy), else its time, or now if that passed while paused. A run by hand
     * ({@code runSchedule}) does not spend it.
     */
    private static OffsetDateTime firstAfterResume(ScheduleExpression expression, Schedule s, OffsetDateTime now) {
        if (expression.kind() == ScheduleKind.ONCE) {
            OffsetDateTime at = s.nextRunAt();
            return at == null ? null : at.isBefore(now) ? now : at;
        }
        return first(expression, now);
    }

    private NewJob template(ScheduleRequest r, JobTemplate old) {
        JobRequest request = new JobRequest(r.queue() != null ? r.queue() : old == null ? null : old.queue(),
                r.jobKind() != null ? r.jobKind() : old.kind(), null, null,
                r.payload() != null ? r.payload() : old == null ? null : old.payload(), null,
                r.priority() != null ? r.priority() : old == null ? null : old.priority(), null, null, null,
                r.maxAttempts() != null ? r.maxAttempts() : old == null ? null : old.maxAttempts(),
                r.timeoutSeconds() != null ? r.timeoutSeconds() : old == null ? null : old.timeoutSeconds(), null, null,
                null);
        try {
            return jobs.validate(request, "input");
        } catch (BadInputException e) {
            // The schedule input calls the job's kind jobKind; every other field keeps its name.
            throw "input.kind".equals(e.field()) ? new BadInputException("input.jobKind", e.problem()) : e;
        }
    }

    private static JobTemplate toTemplate(NewJob job) {
        return new JobTemplate(job.kind(), job.payload(), job.queue(), job.priority(), job.maxAttempts(),
                job.timeoutSeconds());
    }

    private static Integer maxInstances(Integer value) {
        if (value != null && value < 1) {
            throw new BadInputException("input.maxInstances", "must be at least 1, got " + value);
        }
        return value;
    }

    private static String checkName(String name) {
        if (name == null || name.isBlank()) {
            throw new BadInputException("input.name", "is required");
        }
        if (name.length() > MAX_NAME) {
            throw new BadInputException("input.name", "must be at most " + MAX_NAME + " characters, got " + name.length());
        }
        return name;
    }

    private static <T> T withNameConflict(String name, java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (PgException e) {
            if ("23505".equals(e.getSqlState())) {
                throw new ConflictException("a schedule named '" + name + "' exists already");
            }
            throw e;
        }
    }

    static long parseId(String id) {
        try {
            long value = Long.parseLong(id.trim());
            if (value > 0) {
                return value;
            }
        } catch (RuntimeException e) {
            // reported below
        }
        throw new BadInputException("id", "'" + id + "' is not a schedule id");
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
