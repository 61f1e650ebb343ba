package dev.jobyard.durable;

import static dev.jobyard.testing.GraphQLClient.ok;
import static dev.jobyard.testing.Jobs.awaitStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.jobyard.durable.wake.DurableTriggers;
import dev.jobyard.testing.Await;
import dev.jobyard.testing.Durable;
import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.Jobs;
import dev.jobyard.testing.Schedules;
import io.quarkus.test.junit.QuarkusTest;

/** pgconductor's demos 1-7, each as a Java durable handler ({@link PgconductorDemos}) run on Jobyard. */
@QuarkusTest
class DurableDemosTest {

    @Inject
    DurableTriggers triggers;

    @Test
    void demo1_aTaskInvokedWithANameSaysHello() {
        String queue = Jobs.uniqueQueue();
        List<String> ids = Jobs.createAll(List.of(
                Map.of("kind", "test-demo-hello", "queue", queue),
                Map.of("kind", "test-demo-hello", "queue", queue, "payload", Map.of("name", "Alice")),
                Map.of("kind", "test-demo-hello", "queue", queue, "payload", Map.of("name", "Bob"))));

        assertEquals("Hello, World!", awaitStatus(ids.get(0), "COMPLETED").getString("result.greeting"));
        assertEquals("Hello, Alice!", awaitStatus(ids.get(1), "COMPLETED").getString("result.greeting"));
        assertEquals("Hello, Bob!", awaitStatus(ids.get(2), "COMPLETED").getString("result.greeting"));
    }

    @Test
    void demo2_stepsAreMemoizedAcrossTheSleep() {
        String id = Jobs.create(Map.of("kind", "test-demo-steps", "queue", Jobs.uniqueQueue(),
                "payload", Map.of("items", List.of("apple", "banana", "cherry"))));

        var job = awaitStatus(id, "COMPLETED");

        assertEquals(List.of("APPLE", "BANANA", "CHERRY"), job.getList("result.saved"));
        assertEquals(1, Durable.logged(id, "validate ran"), "replayed after the sleep, not run again");
        assertEquals(1, Durable.logged(id, "transform ran"));
        assertEquals(1, Durable.logged(id, "save ran"));
        var steps = ok("query($id: ID!) { job(id: $id) { steps { key type } } }", Map.of("id", id)).getList("job.steps.key");
        assertEquals(List.of("validate", "transform", "pause", "save"), steps);
    }

    @Test
    void demo3_aParentWaitsForItsChildAndAddsTen() {
        String parent = Jobs.create(Map.of("kind", "test-demo-add-ten", "queue", Jobs.uniqueQueue(), "payload", Map.of("value", 5)));

        var job = awaitStatus(parent, "COMPLETED");

        assertEquals(20, job.getInt("result.result"), "5 doubled by the child is 10, plus 10");
        var tree = ok("query($id: ID!) { job(id: $id) { children { id kind status parentJobId result } } }",
                Map.of("id", parent));
        assertEquals(List.of("test-demo-double"), tree.getList("job.children.kind"));
        assertEquals(List.of(parent), tree.getList("job.children.parentJobId"));
        assertEquals(10, tree.getInt("job.children[0].result.value"));
        assertEquals(1, job.getInt("attempts"), "waiting for the child counted no attempt");
    }

    @Test
    void demo4_aCronTriggerDeclaredInCodeBecomesASchedule() {
        String name = Schedules.uniqueName();
        PgconductorDemos.Cron.declared = name;
        try {
            assertTrue(triggers.createDeclared() >= 1);
            String scheduleId = ok("query($n: String) { schedule(name: $n) { id jobKind schedule } }", Map.of("n", name))
                    .getString("schedule.id");
            Await.until(Duration.ofSeconds(15), () -> Jdbc.<Long>value(
                    "SELECT count(*) FROM jobyard.job_history WHERE schedule_id = ? AND status = 'COMPLETED'"
                            + " AND result->>'source' = 'cron'", Long.parseLong(scheduleId)),
                    n -> n >= 2, "two runs of the cron trigger");
            triggers.createDeclared();
            assertEquals(1L, Jdbc.<Long>value("SELECT count(*) FROM jobyard.schedule WHERE name = ?", name),
                    "declaring again keeps one schedule");
            String manual = Jobs.create(Map.of("kind", "test-demo-cron", "queue", Jobs.uniqueQueue()));
            assertEquals("manual", awaitStatus(manual, "COMPLETED").getString("result.source"));
            ok("mutation($id: ID!) { deleteSchedule(id: $id) { id } }", Map.of("id", scheduleId));
        } finally {
            PgconductorDemos.Cron.declared = null;
        }
    }

    @Test
    void demo5_aTaskSchedulesAndUnschedulesAtRunTime() {
        String name = Schedules.uniqueName();
        String queue = Jobs.uniqueQueue();
        awaitStatus(Jobs.create(Map.of("kind", "test-demo-dynamic-schedule", "queue", queue,
                "payload", Map.of("action", "schedule", "name", name))), "COMPLETED");
        long scheduleId = Jdbc.<Long>value("SELECT id FROM jobyard.schedule WHERE name = ?", name);
        Await.until(Duration.ofSeconds(15), () -> Jdbc.<Long>value(
                "SELECT count(*) FROM jobyard.job_history WHERE schedule_id = ? AND result->>'source' = 'dynamic'",
                scheduleId), n -> n >= 2, "two runs of the dynamic schedule");

        String unschedule = Jobs.create(Map.of("kind", "test-demo-dynamic-schedule", "queue", queue,
                "payload", Map.of("action", "unschedule", "name", name)));
        awaitStatus(unschedule, "COMPLETED");

        assertEquals(0L, Jdbc.<Long>value("SELECT count(*) FROM jobyard.schedule WHERE name = ?", name));
        assertEquals("{\"deleted\": true}", Jdbc.<Object>value(
                "SELECT result::text FROM jobyard.durable_step WHERE job_id = ? AND key = 'unschedule'",
                Long.parseLong(unschedule)));
    }

    @Test
    void demo6_eachQueueRunsAtMostItsConcurrency() {
        Map<String, Integer> concurrency = Map.of("narrow", 1, "durable-two", 2, "served", 4);
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (String queue : concurrency.keySet()) {
            PgconductorDemos.Work.MOST.remove(queue);
            for (int i = 0; i < 10; i++) {
                inputs.add(Map.of("kind", "test-demo-work", "queue", queue, "payload", Map.of("ms", 200)));
            }
        }
        List<String> ids = Jobs.createAll(inputs);

        for (String id : ids) {
            awaitStatus(id, "COMPLETED", Duration.ofSeconds(60));
        }
        for (var entry : concurrency.entrySet()) {
            int most = PgconductorDemos.Work.MOST.get(entry.getKey()).get();
            assertTrue(most <= entry.getValue(), entry.getKey() + " ran " + most + " at once");
        }
        assertEquals(4, PgconductorDemos.Work.MOST.get("served").get(), "10 jobs of 200 ms fill the 4 workers of served");
    }

    @Test
    void demo7_anEventWakesEveryListenerWithItsPayload() {
        String queue = Jobs.uniqueQueue();
        String event = "demo7-" + queue;
        List<String> listeners = Jobs.createAll(List.of(
                Map.of("kind", "test-demo-listener", "queue", queue, "payload", Map.of("event", event)),
                Map.of("kind", "test-demo-listener", "queue", queue, "payload", Map.of("event", event)),
                Map.of("kind", "test-demo-listener", "queue", queue, "payload", Map.of("event", event))));
        for (String id : listeners) {
            awaitStatus(id, "WAITING");
        }

        String emitter = Jobs.create(Map.of("kind", "test-demo-emitter", "queue", queue,
                "payload", Map.of("event", event, "message", "Hello World")));
        awaitStatus(emitter, "COMPLETED");

        for (String id : listeners) {
            assertEquals("Hello World", awaitStatus(id, "COMPLETED").getString("result.received.message"));
        }
        var emitted = ok("query($n: String) { events(name: $n) { name woke payload } }", Map.of("n", event));
        assertEquals(List.of(3), emitted.getList("events.woke"));
        assertNull(Jobs.job(emitter).getString("error"));
    }
}
