package dev.jobyard.durable;

import java.time.Duration;
import java.util.concurrent.Callable;

import io.vertx.core.json.JsonObject;

/**
 * What a durable task's code uses. Every primitive takes a key unique within the task; its result is saved
 * under that key in the transaction that records it, fenced by the attempt's lease, and returned without
 * running anything on replay. Values are JSON values as Vert.x decodes them ({@link JsonObject},
 * {@link io.vertx.core.json.JsonArray}, String, Integer/Long/Double, Boolean, null), the same on the first run as
 * on replay.
 * <p>
 * {@link #sleep}, {@link #invoke}, {@link #waitForEvent} and {@link #waitForDbChange} end the attempt while they
 * wait (a "hangup": they throw {@link dev.jobyard.handler.HangUp}, which the code must not catch); the job is
 * replayed from the top when woken.
 */
public interface DurableContext {

    long jobId();

    String kind();

    String queue();

    /** The job's attempt: hang-ups do not count, failures do. */
    int attempt();

    JsonObject payload();

    /** True once the attempt should stop (cancel, timeout, shutdown). */
    boolean isCancelled();

    /** A line in the job's log (not memoized: a replay writes it again). */
    void log(String level, String message, JsonObject data);

    /** Runs {@code body} until it succeeds once, and returns its saved result ever after. */
    Object step(String key, Callable<?> body) throws Exception;

    /** As {@link #step(String, Callable)}, the result mapped to {@code type} (Jackson). */
    <T> T step(String key, Class<T> type, Callable<? extends T> body) throws Exception;

    /** Parks the task for {@code duration} (PENDING with a later run time): no thread is held meanwhile. */
    void sleep(String key, Duration duration);

    /**
     * Creates a child job of {@code kind} and waits (WAITING) for it; returns its result. A child that ends FAILED
     * or CANCELLED fails this task at once ("child job N ended FAILED: ..."), without a retry. After
     * {@code timeout} (null: none) the child is cancelled and this throws {@link DurableTimeoutException}.
     */
    Object invoke(String key, String kind, JsonObject payload, Duration timeout) throws DurableTimeoutException;

    /** As {@link #invoke(String, String, JsonObject, Duration)}, with the child's queue and max attempts. */
    Object invoke(String key, Invocation invocation) throws DurableTimeoutException;

    /**
     * Waits (WAITING) for the next event called {@code name} emitted after this wait starts; returns its payload.
     * Events emitted earlier are not seen.
     */
    Object waitForEvent(String key, String name, Duration timeout) throws DurableTimeoutException;

    /**
     * Waits (WAITING) for the next row change that matches {@code change}; returns {@code {"operation", "schema",
     * "table", "new", "old"}} with only the chosen columns of the rows.
     */
    JsonObject waitForDbChange(String key, DbChange change, Duration timeout) throws DurableTimeoutException;

    /** Emits event {@code name} once, even on replay: every task waiting for it wakes with {@code payload}. */
    void emit(String key, String name, Object payload);

    /** Creates (once) the schedule {@code name} that creates {@code kind} jobs; an existing one is replaced. */
    void schedule(String key, String name, String expression, String kind, JsonObject payload);

    /** Deletes (once) the schedule {@code name}, if it exists. */
    void unschedule(String key, String name);

    /** A child job to invoke. */
    record Invocation(String kind, JsonObject payload, String queue, Integer maxAttempts, Duration timeout) {

        public static Invocation of(String kind, JsonObject payload) {
            return new Invocation(kind, payload, null, null, null);
        }

        public Invocation queue(String name) {
            return new Invocation(kind, payload, name, maxAttempts, timeout);
        }

        public Invocation maxAttempts(int n) {
            return new Invocation(kind, payload, queue, n, timeout);
        }

        public Invocation timeout(Duration d) {
            return new Invocation(kind, payload, queue, maxAttempts, d);
        }
    }
}
