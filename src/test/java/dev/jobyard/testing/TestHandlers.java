package dev.jobyard.testing;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.handler.JobContext;
import dev.jobyard.handler.JobHandler;
import io.vertx.core.json.JsonObject;

/** Handlers that only the tests register: failing, flaky and blocking kinds. */
public final class TestHandlers {

    private TestHandlers() {
    }

    /** Always throws, with {@code payload.message} as the error. */
    @ApplicationScoped
    public static class Fail implements JobHandler {
        @Override
        public String kind() {
            return "test-fail";
        }

        @Override
        public JsonObject handle(JobContext context) {
            throw new IllegalStateException(context.payload().getString("message", "boom"));
        }
    }

    /** Fails until attempt {@code payload.succeedOn}, then returns the attempt number. */
    @ApplicationScoped
    public static class Flaky implements JobHandler {
        @Override
        public String kind() {
            return "test-flaky";
        }

        @Override
        public JsonObject handle(JobContext context) {
            if (context.attempt() < context.payload().getInteger("succeedOn", 2)) {
                throw new IllegalStateException("attempt " + context.attempt() + " fails");
            }
            return new JsonObject().put("attempt", context.attempt());
        }
    }

    /** Ignores interruption for {@code payload.ms} and then checks isCancelled(), like a CPU-bound loop would. */
    @ApplicationScoped
    public static class Busy implements JobHandler {
        @Override
        public String kind() {
            return "test-busy";
        }

        @Override
        public JsonObject handle(JobContext context) {
            long until = System.currentTimeMillis() + context.payload().getLong("ms", 60_000L);
            while (System.currentTimeMillis() < until) {
                if (context.isCancelled()) {
                    return new JsonObject().put("stoppedEarly", true);
                }
                Thread.onSpinWait();
            }
            return new JsonObject().put("stoppedEarly", false);
        }
    }

    /**
     * A handler that does not cooperate: sleeps {@code payload.firstMs} on attempt 1 and {@code payload.laterMs}
     * on later ones, ignoring interrupts and cancellation, then logs "attempt n done" and returns the attempt.
     */
    @ApplicationScoped
    public static class Stubborn implements JobHandler {
        @Override
        public String kind() {
            return "test-stubborn";
        }

        @Override
        public JsonObject handle(JobContext context) {
            long ms = context.attempt() == 1 ? context.payload().getLong("firstMs") : context.payload().getLong("laterMs");
            long until = System.nanoTime() + ms * 1_000_000;
            for (long left; (left = until - System.nanoTime()) > 0;) {
                try {
                    Thread.sleep(Math.max(1, left / 1_000_000));
                } catch (InterruptedException ignored) {
                    // Stubborn: it goes on.
                }
            }
            context.log("INFO", "attempt " + context.attempt() + " done", null);
            return new JsonObject().put("attempt", context.attempt());
        }
    }

    /** Always fails, keeping {@code {"attempt": n, "printed": payload.printed}} as the attempt's output. */
    @ApplicationScoped
    public static class FailWithOutput implements JobHandler {
        @Override
        public String kind() {
            return "test-fail-with-output";
        }

        @Override
        public JsonObject handle(JobContext context) throws Exception {
            throw new dev.jobyard.handler.FailedWithOutput("attempt " + context.attempt() + " failed",
                    new JsonObject().put("attempt", context.attempt()).put("printed", context.payload().getString("printed")));
        }
    }

    /**
     * Writes text holding U+0000 everywhere a handler can: a log line (message and data) and then, with
     * {@code payload.fail}, an error and an output, else a result.
     */
    @ApplicationScoped
    public static class Nul implements JobHandler {
        public static final String TEXT = "a\u0000b";

        @Override
        public String kind() {
            return "test-nul";
        }

        @Override
        public JsonObject handle(JobContext context) throws Exception {
            context.log("INFO", "line " + TEXT, new JsonObject().put("data", TEXT));
            if (context.payload().getBoolean("fail", false)) {
                throw new dev.jobyard.handler.FailedWithOutput("error " + TEXT, new JsonObject().put("printed", TEXT));
            }
            return new JsonObject().put("text", TEXT).put(TEXT, "as a key");
        }
    }

    /** A kind whose name is as long as a kind may be; returns nothing. */
    @ApplicationScoped
    public static class LongestKind implements JobHandler {
        public static final String KIND = "test-longest-kind-" + "k".repeat(dev.jobyard.handler.HandlerRegistry.MAX_KIND_LENGTH - 18);

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public JsonObject handle(JobContext context) {
            return new JsonObject();
        }
    }
}
