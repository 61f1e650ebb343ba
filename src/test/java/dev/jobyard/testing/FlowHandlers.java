package dev.jobyard.testing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.handler.JobContext;
import dev.jobyard.handler.JobHandler;
import io.vertx.core.json.JsonObject;

/**
 * Handlers the flow tests run as steps. Each returns its output as {@code {"$output": value}}, so outputs of
 * any JSON type travel (see docs/flows.md).
 */
public final class FlowHandlers {

    private FlowHandlers() {
    }

    /** Outputs {@code payload.emit} (any JSON), or, without it, the whole payload it received. */
    @ApplicationScoped
    public static class Emit implements JobHandler {
        @Override
        public String kind() {
            return "test-flow-emit";
        }

        @Override
        public JsonObject handle(JobContext context) {
            JsonObject p = context.payload();
            return new JsonObject().put("$output", p.containsKey("emit") ? p.getValue("emit") : p);
        }
    }

    /** A map task: outputs its element times 10 (a number element), after element × {@code payload.msPer} milliseconds. */
    @ApplicationScoped
    public static class Times10 implements JobHandler {
        @Override
        public String kind() {
            return "test-flow-times10";
        }

        @Override
        public JsonObject handle(JobContext context) throws InterruptedException {
            long ms = context.payload().getLong("msPer", 0L) * context.payload().getInteger("input");
            if (ms > 0) {
                Thread.sleep(ms);
            }
            return new JsonObject().put("$output", context.payload().getInteger("input") * 10);
        }
    }

    /** Fails its first {@code payload.failures} attempts of each task (counted per run, step and index), then emits. */
    @ApplicationScoped
    public static class FlakyTask implements JobHandler {
        public static final Map<String, AtomicInteger> ATTEMPTS = new ConcurrentHashMap<>();

        @Override
        public String kind() {
            return "test-flow-flaky";
        }

        @Override
        public JsonObject handle(JobContext context) {
            JsonObject l = context.labels();
            String key = l.getString("flowRun") + "/" + l.getString("step") + "/" + l.getValue("task");
            int attempt = ATTEMPTS.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            if (attempt <= context.payload().getInteger("failures", 1)) {
                throw new IllegalStateException("attempt " + attempt + " fails");
            }
            return new JsonObject().put("$output", new JsonObject().put("attempts", attempt));
        }
    }

    /**
     * Waits at gate {@code payload.gate} (opened by the test) while counting itself as arrived, then outputs
     * {@code payload.emit}, or its element when it is a map task.
     */
    @ApplicationScoped
    public static class Gated implements JobHandler {
        public static final Map<String, CountDownLatch> GATES = new ConcurrentHashMap<>();
        public static final Map<String, AtomicInteger> ARRIVED = new ConcurrentHashMap<>();

        public static void close(String gate) {
            GATES.put(gate, new CountDownLatch(1));
            ARRIVED.put(gate, new AtomicInteger());
        }

        public static void open(String gate) {
            GATES.get(gate).countDown();
        }

        public static int arrived(String gate) {
            return ARRIVED.get(gate).get();
        }

        @Override
        public String kind() {
            return "test-flow-gated";
        }

        @Override
        public JsonObject handle(JobContext context) throws InterruptedException {
            JsonObject p = context.payload();
            String gate = p.getString("gate");
            ARRIVED.get(gate).incrementAndGet();
            while (!GATES.get(gate).await(50, TimeUnit.MILLISECONDS)) {
                if (context.isCancelled()) {
                    throw new InterruptedException("cancelled at gate " + gate);
                }
            }
            return new JsonObject().put("$output", p.containsKey("emit") ? p.getValue("emit") : p.getValue("input"));
        }
    }
}
