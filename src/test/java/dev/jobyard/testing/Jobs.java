package dev.jobyard.testing;

import static dev.jobyard.testing.GraphQLClient.ok;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.jobyard.job.Fence;
import io.restassured.path.json.JsonPath;

/** The GraphQL calls the engine tests make again and again. */
public final class Jobs {

    public static final String FIELDS = "id queue kind name status attempts maxAttempts error result payload "
            + "dependencies blockedBy worker durationMs startedAt completedAt retryOf cancelRequested "
            + "errors { attempt error at }";

    private Jobs() {
    }

    /** A queue name no other test uses, so tests sharing one database stay independent. */
    public static String uniqueQueue() {
        return "q-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static String create(Map<String, Object> input) {
        return ok("mutation($in: JobInput!) { createJob(input: $in) { id } }", Map.of("in", input))
                .getString("createJob.id");
    }

    public static List<String> createAll(List<Map<String, Object>> inputs) {
        return ok("mutation($in: [JobInput!]!) { createJobs(inputs: $in) { id } }", Map.of("in", inputs))
                .getList("createJobs.id");
    }

    public static JsonPath job(String id) {
        return ok("query($id: ID!) { job(id: $id) { " + FIELDS + " } }", Map.of("id", id)).setRootPath("data.job");
    }

    public static String status(String id) {
        return ok("query($id: ID!) { job(id: $id) { status } }", Map.of("id", id)).getString("job.status");
    }

    public static JsonPath awaitStatus(String id, String status, Duration timeout) {
        Await.until(timeout, () -> status(id), status::equals, "job " + id + " to be " + status);
        return job(id);
    }

    public static JsonPath awaitStatus(String id, String status) {
        return awaitStatus(id, status, Duration.ofSeconds(15));
    }

    /**
     * A new job of {@code queue} (paused) that looks as if a worker called "ghost" had claimed it: attempt 1,
     * its lease ending at now() plus {@code leaseLeft}, an SQL interval that may set more columns after it.
     */
    public static long heldByGhost(String queue, int maxAttempts, String leaseLeft) {
        pause(queue);
        long id = Long.parseLong(create(Map.of("kind", "noop", "queue", queue, "maxAttempts", maxAttempts)));
        Jdbc.update("UPDATE jobyard.job SET status = 'RUNNING', attempt = 1, worker = 'ghost', started_at = now(),"
                + " lease_expires_at = now() " + leaseLeft + " WHERE id = ?", id);
        return id;
    }

    /**
     * The fence of a job made by {@link #heldByGhost}: attempt 1 of worker "ghost", lease token 0 (the
     * column's default, which a hand-made claim leaves as it is).
     */
    public static Fence ghostFence(long id) {
        return new Fence(id, 1, "ghost", 0);
    }

    public static void pause(String queue) {
        ok("mutation($q: String!) { pauseQueue(name: $q) { paused } }", Map.of("q", queue));
    }

    public static void resume(String queue) {
        ok("mutation($q: String!) { resumeQueue(name: $q) { paused } }", Map.of("q", queue));
    }
}
