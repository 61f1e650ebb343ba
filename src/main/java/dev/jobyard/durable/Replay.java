package dev.jobyard.durable;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import dev.jobyard.durable.store.Saved;
import dev.jobyard.handler.JobContext;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.DatabindCodec;

/**
 * One attempt's view of a durable task: each primitive returns the result saved under its key, or does its work
 * the first time (see {@link Primitives}). Keys are checked as the code reaches them: one key twice, or a key
 * saved by another kind of primitive, means that the code is not deterministic, and fails the attempt.
 */
final class Replay implements DurableContext {

    private static final int MAX_KEY = 200;

    private final JobContext job;
    private final Map<String, Saved> saved;
    private final Primitives primitives;
    private final Set<String> used = new HashSet<>();

    Replay(JobContext job, Map<String, Saved> saved, Primitives primitives) {
        this.job = job;
        this.saved = saved;
        this.primitives = primitives;
    }

    @Override
    public long jobId() {
        return job.jobId();
    }

    @Override
    public String kind() {
        return job.kind();
    }

    @Override
    public String queue() {
        return job.queue();
    }

    @Override
    public int attempt() {
        return job.attempt();
    }

    @Override
    public JsonObject payload() {
        return job.payload();
    }

    @Override
    public boolean isCancelled() {
        return job.isCancelled();
    }

    @Override
    public void log(String level, String message, JsonObject data) {
        job.log(level, message, data);
    }

    /** The result saved under {@code key} by a primitive of {@code type}, or null the first time. */
    private Saved replayed(String key, String type) {
        if (key == null || key.isBlank() || key.length() > MAX_KEY) {
            throw new IllegalArgumentException("a durable key has 1 to " + MAX_KEY + " characters, got '" + key + "'");
        }
        if (!used.add(key)) {
            throw new IllegalStateException("key '" + key + "' is used twice in job " + job.jobId()
                    + ": every primitive of a task needs a key of its own");
        }
        Saved s = saved.get(key);
        if (s != null && !s.type().equals(type)) {
            throw new IllegalStateException("key '" + key + "' was saved by " + s.type() + " and is now used by " + type
                    + ": the task's code did not replay the same way (see docs/durable.md, determinism)");
        }
        return s;
    }

    @Override
    public Object step(String key, Callable<?> body) throws Exception {
        Saved s = replayed(key, "step");
        if (s != null) {
            return s.value();
        }
        Object value = body.call();
        return primitives.saveStep(job.fence(), key, "step", value);
    }

    @Override
    public <T> T step(String key, Class<T> type, Callable<? extends T> body) throws Exception {
        return DatabindCodec.mapper().convertValue(step(key, (Callable<?>) body), type);
    }

    @Override
    public void sleep(String key, Duration duration) {
        Saved s = replayed(key, "sleep");
        if (s == null) {
            throw primitives.sleep(job.jobId(), key, Math.max(0, duration.toMillis()), true);
        }
        // Woken before its end (a hand-back, a clock ahead of the database's): park for what is left.
        OffsetDateTime until = OffsetDateTime.parse(((JsonObject) s.value()).getString("until"));
        long left = Duration.between(OffsetDateTime.now(), until).toMillis();
        if (left > 0) {
            throw primitives.sleep(job.jobId(), key, left, false);
        }
    }

    @Override
    public Object invoke(String key, String kind, JsonObject payload, Duration timeout) throws DurableTimeoutException {
        return invoke(key, Invocation.of(kind, payload).timeout(timeout));
    }

    @Override
    public Object invoke(String key, Invocation invocation) throws DurableTimeoutException {
        Saved s = replayed(key, "invoke");
        if (s == null) {
            throw primitives.invoke(job.jobId(), job.queue(), key, invocation);
        }
        if (s.timedOut()) {
            throw new DurableTimeoutException(key, "child job of kind " + invocation.kind());
        }
        return s.value();
    }

    @Override
    public Object waitForEvent(String key, String name, Duration timeout) throws DurableTimeoutException {
        Saved s = replayed(key, "event");
        if (s == null) {
            throw primitives.waitForEvent(job.jobId(), key, name, timeout);
        }
        if (s.timedOut()) {
            throw new DurableTimeoutException(key, "event " + name);
        }
        return s.value();
    }

    @Override
    public JsonObject waitForDbChange(String key, DbChange change, Duration timeout) throws DurableTimeoutException {
        Saved s = replayed(key, "dbchange");
        if (s == null) {
            throw primitives.waitForDbChange(job.jobId(), key, change, timeout);
        }
        if (s.timedOut()) {
            throw new DurableTimeoutException(key, change.operation() + " on " + change.qualifiedTable());
        }
        return (JsonObject) s.value();
    }

    @Override
    public void emit(String key, String name, Object payload) {
        if (replayed(key, "emit") == null) {
            primitives.emit(job.fence(), key, name, payload);
        }
    }

    @Override
    public void schedule(String key, String name, String expression, String kind, JsonObject payload) {
        if (replayed(key, "schedule") == null) {
            primitives.schedule(job.fence(), key, name, expression, kind, payload);
        }
    }

    @Override
    public void unschedule(String key, String name) {
        if (replayed(key, "unschedule") == null) {
            primitives.unschedule(job.fence(), key, name);
        }
    }
}
