package dev.jobyard.durable;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** pgconductor's demos 1-7 (seed 004) written as Jobyard durable handlers; DurableDemosTest runs each. */
public final class PgconductorDemos {

    private PgconductorDemos() {
    }

    /** Demo 1: a task invoked with a name says hello. */
    @ApplicationScoped
    public static class Hello implements DurableHandler {
        @Override
        public String kind() {
            return "test-demo-hello";
        }

        @Override
        public Object run(DurableContext ctx) {
            return new JsonObject().put("greeting", "Hello, " + ctx.payload().getString("name", "World") + "!");
        }
    }

    /** Demo 2: validate, transform, sleep a second, save; each step memoized. */
    @ApplicationScoped
    public static class StepsAndSleep implements DurableHandler {
        @Override
        public String kind() {
            return "test-demo-steps";
        }

        @Override
        public Object run(DurableContext ctx) throws Exception {
            JsonArray items = (JsonArray) ctx.step("validate", () -> {
                ctx.log("INFO", "validate ran", null);
                JsonArray given = ctx.payload().getJsonArray("items", new JsonArray());
                if (given.isEmpty()) {
                    throw new IllegalArgumentException("no items");
                }
                return given;
            });
            JsonArray upper = (JsonArray) ctx.step("transform", () -> {
                ctx.log("INFO", "transform ran", null);
                return new JsonArray(items.stream().map(i -> String.valueOf(i).toUpperCase()).toList());
            });
            ctx.sleep("pause", Duration.ofSeconds(1));
            return ctx.step("save", () -> {
                ctx.log("INFO", "save ran", null);
                return new JsonObject().put("saved", upper).put("count", upper.size());
            });
        }
    }

    /** Demo 3, the child: doubles its input. */
    @ApplicationScoped
    public static class Double implements DurableHandler {
        @Override
        public String kind() {
            return "test-demo-double";
        }

        @Override
        public Object run(DurableContext ctx) {
            return new JsonObject().put("value", ctx.payload().getInteger("value") * 2);
        }
    }

    /** Demo 3, the parent: invokes test-demo-double and adds 10 to its result. */
    @ApplicationScoped
    public static class AddTen implements DurableHandler {
        @Override
        public String kind() {
            return "test-demo-add-ten";
        }

        @Override
        public Object run(DurableContext ctx) throws Exception {
            JsonObject child = (JsonObject) ctx.invoke("double", "test-demo-double",
                    new JsonObject().put("value", ctx.payload().getInteger("value")), Duration.ofMinutes(1));
            return new JsonObject().put("result", child.getInteger("value") + 10);
        }
    }

    /**
     * Demo 4: a task with a cron trigger declared in code. Declared only while {@link #declared} is set, so that
     * the trigger exists only for the test that looks at it (a schedule firing every second would otherwise run in
     * every test JVM on the shared database).
     */
    @ApplicationScoped
    public static class Cron implements DurableHandler {
        public static volatile String declared;

        @Override
        public String kind() {
            return "test-demo-cron";
        }

        @Override
        public List<CronTrigger> triggers() {
            return declared == null ? List.of()
                    : List.of(CronTrigger.of(declared, "@every 1 second", new JsonObject().put("source", "cron")));
        }

        @Override
        public Object run(DurableContext ctx) {
            return new JsonObject().put("source", ctx.payload().getString("source", "manual"));
        }
    }

    /** Demo 5: schedules or unschedules test-demo-cron at run time, by payload.action and payload.name. */
    @ApplicationScoped
    public static class DynamicSchedule implements DurableHandler {
        @Override
        public String kind() {
            return "test-demo-dynamic-schedule";
        }

        @Override
        public Object run(DurableContext ctx) {
            String name = ctx.payload().getString("name");
            if ("schedule".equals(ctx.payload().getString("action"))) {
                ctx.schedule("schedule", name, "@every 1 second", "test-demo-cron",
                        new JsonObject().put("source", "dynamic"));
            } else {
                ctx.unschedule("unschedule", name);
            }
            return new JsonObject().put("done", ctx.payload().getString("action"));
        }
    }

    /** Demo 6: a task that works payload.ms in a step, and records how many ran at once in each queue. */
    @ApplicationScoped
    public static class Work implements DurableHandler {
        public static final Map<String, AtomicInteger> RUNNING = new ConcurrentHashMap<>();
        public static final Map<String, AtomicInteger> MOST = new ConcurrentHashMap<>();

        @Override
        public String kind() {
            return "test-demo-work";
        }

        @Override
        public Object run(DurableContext ctx) throws Exception {
            return ctx.step("work", () -> {
                AtomicInteger running = RUNNING.computeIfAbsent(ctx.queue(), q -> new AtomicInteger());
                int now = running.incrementAndGet();
                MOST.computeIfAbsent(ctx.queue(), q -> new AtomicInteger()).accumulateAndGet(now, Math::max);
                try {
                    Thread.sleep(ctx.payload().getLong("ms", 300L));
                } finally {
                    running.decrementAndGet();
                }
                return new JsonObject().put("queue", ctx.queue());
            });
        }
    }

    /** Demo 7, the listener: waits up to 60 s for payload.event and returns what it carried. */
    @ApplicationScoped
    public static class Listener implements DurableHandler {
        @Override
        public String kind() {
            return "test-demo-listener";
        }

        @Override
        public Object run(DurableContext ctx) throws Exception {
            Object received = ctx.waitForEvent("message", ctx.payload().getString("event"), Duration.ofSeconds(60));
            return new JsonObject().put("received", received);
        }
    }

    /** Demo 7, the emitter: emits payload.event with payload.message, once. */
    @ApplicationScoped
    public static class Emitter implements DurableHandler {
        @Override
        public String kind() {
            return "test-demo-emitter";
        }

        @Override
        public Object run(DurableContext ctx) {
            ctx.emit("emit", ctx.payload().getString("event"), new JsonObject().put("message",
                    ctx.payload().getString("message")));
            return null;
        }
    }
}
