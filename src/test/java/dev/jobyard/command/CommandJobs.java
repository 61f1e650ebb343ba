package dev.jobyard.command;

import static dev.jobyard.testing.GraphQLClient.ok;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.jobyard.testing.Await;
import dev.jobyard.testing.GraphQLClient;
import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.Jobs;
import io.restassured.path.json.JsonPath;

/** Creating command jobs and reading what their attempts left, over GraphQL. */
public final class CommandJobs {

    private static final List<String> FINAL = List.of("COMPLETED", "FAILED", "CANCELLED");

    private CommandJobs() {
    }

    /** Creates a job of {@code kind} in a queue of its own, with one attempt unless {@code extra} says otherwise. */
    public static String create(String kind, Map<String, Object> payload, Map<String, Object> extra) {
        Map<String, Object> input = new HashMap<>(Map.of("kind", kind, "payload", payload, "queue", Jobs.uniqueQueue(),
                "maxAttempts", 1));
        input.putAll(extra);
        return Jobs.create(input);
    }

    public static String create(String kind, Map<String, Object> payload) {
        return create(kind, payload, Map.of());
    }

    /** The job once it reached {@code status}, with its result and errors. */
    public static JsonPath finished(String id, String status) {
        String last = Await.until(Duration.ofSeconds(60), () -> Jobs.status(id), FINAL::contains, "job " + id + " to finish");
        JsonPath job = Jobs.job(id);
        if (!last.equals(status)) {
            throw new AssertionError("job " + id + " ended " + last + ", not " + status + ": " + job.prettify());
        }
        return job;
    }

    /** What the job's failed or cancelled attempts left, by attempt. */
    public static List<Map<String, Object>> attemptOutputs(String id) {
        return ok("query($id: ID!) { job(id: $id) { attemptOutputs { attempt status error output at } } }", Map.of("id", id))
                .getList("job.attemptOutputs");
    }

    /** The GraphQL answer to creating the job: for tests of refusals. */
    public static JsonPath tryCreate(String kind, Map<String, Object> payload) {
        return GraphQLClient.execute("mutation($in: JobInput!) { createJob(input: $in) { id } }",
                Map.of("in", Map.of("kind", kind, "payload", payload, "queue", Jobs.uniqueQueue())));
    }

    /**
     * Asserts that creating the job is refused as BAD_USER_INPUT and creates nothing; returns the message.
     */
    public static String refusal(String kind, Map<String, Object> payload) {
        String queue = Jobs.uniqueQueue();
        JsonPath answer = GraphQLClient.execute("mutation($in: JobInput!) { createJob(input: $in) { id } }",
                Map.of("in", Map.of("kind", kind, "payload", payload, "queue", queue)));
        if (!"BAD_USER_INPUT".equals(answer.getString("errors[0].extensions.code"))) {
            throw new AssertionError("expected a refusal of " + kind + " " + payload + ", got " + answer.prettify());
        }
        long jobs = Jdbc.value("SELECT count(*) FROM jobyard.job WHERE queue = ?", queue);
        if (jobs != 0) {
            throw new AssertionError("a refused job was created anyway");
        }
        return answer.getString("errors[0].message");
    }
}
