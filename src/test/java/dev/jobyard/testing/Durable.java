package dev.jobyard.testing;

import static dev.jobyard.testing.GraphQLClient.ok;

import java.util.List;
import java.util.Map;

/** The calls the durable task tests make: scripts, events, and what a task saved or logged. */
public final class Durable {

    private Durable() {
    }

    /** A {@code durable_script} job running {@code ops} on {@code queue}. */
    public static String script(String queue, List<Map<String, Object>> ops) {
        return Jobs.create(Map.of("kind", "durable_script", "queue", queue, "payload", Map.of("ops", ops)));
    }

    public static String script(String queue, int maxAttempts, List<Map<String, Object>> ops) {
        return Jobs.create(Map.of("kind", "durable_script", "queue", queue, "maxAttempts", maxAttempts,
                "payload", Map.of("ops", ops)));
    }

    /** How many times job {@code id} logged {@code message}. */
    public static long logged(String id, String message) {
        return Jdbc.<Long>value("SELECT count(*) FROM jobyard.job_log WHERE job_id = ? AND message = ?",
                Long.parseLong(id), message);
    }

    /** Emits an event through the API; returns how many tasks it woke. */
    public static int emit(String name, Object payload) {
        return ok("mutation($n: String!, $p: JSON) { emitEvent(name: $n, payload: $p) }",
                new java.util.HashMap<>(Map.of("n", name, "p", payload))).getInt("emitEvent");
    }

    /** Cancels job {@code id} through the API. */
    public static void cancel(String id, String reason) {
        ok("mutation($id: ID!, $r: String) { cancelJob(id: $id, reason: $r) { id } }", Map.of("id", id, "r", reason));
    }

    /** Whether job {@code id} has a wait recorded. */
    public static boolean waiting(String id) {
        return Jdbc.<Long>value("SELECT count(*) FROM jobyard.durable_wait WHERE job_id = ?", Long.parseLong(id)) > 0;
    }
}
