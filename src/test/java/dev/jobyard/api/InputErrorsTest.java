package dev.jobyard.api;

import static dev.jobyard.testing.GraphQLClient.execute;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.GraphQLClient;
import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Bad input gets a GraphQL error with extensions.code and a message naming the field, and changes nothing. */
@QuarkusTest
class InputErrorsTest {

    private static final String CREATE = "mutation($in: JobInput!) { createJob(input: $in) { id } }";

    private static JsonPath rejected(Map<String, Object> input) {
        JsonPath result = execute(CREATE, Map.of("in", input));
        assertNull(result.get("data.createJob"), "nothing may be created for " + input);
        return result;
    }

    private static void assertBadInput(Map<String, Object> extra, String field, String detail) {
        String queue = Jobs.uniqueQueue();
        Map<String, Object> input = new HashMap<>(Map.of("kind", "noop", "queue", queue));
        input.putAll(extra);
        JsonPath result = rejected(input);
        assertEquals("BAD_USER_INPUT", result.getString("errors[0].extensions.code"), result.prettify());
        String message = result.getString("errors[0].message");
        assertTrue(message.startsWith(field + ":"), "message should name " + field + ": " + message);
        assertTrue(message.contains(detail), "message should say '" + detail + "': " + message);
        assertEquals(List.of(), GraphQLClient.ok("query($q: String) { jobs(queue: $q) { nodes { id } } }",
                Map.of("q", queue)).getList("jobs.nodes"));
    }

    @Test
    void maxAttemptsBelowOne() {
        assertBadInput(Map.of("maxAttempts", 0), "input.maxAttempts", "at least 1");
    }

    @Test
    void priorityOutsideTheRange() {
        assertBadInput(Map.of("priority", 1001), "input.priority", "between -1000 and 1000");
        assertBadInput(Map.of("priority", -1001), "input.priority", "between -1000 and 1000");
    }

    @Test
    void timeoutBelowOneSecond() {
        assertBadInput(Map.of("timeoutSeconds", 0), "input.timeoutSeconds", "at least 1 second");
    }

    @Test
    void unknownKindNamesTheKnownKinds() {
        assertBadInput(Map.of("kind", "no-such-kind"), "input.kind", "known kinds: copy_from_file, copy_from_program, copy_to_file, copy_to_program, download, durable_script, echo, http, log");
    }

    @Test
    void unknownDependency() {
        assertBadInput(Map.of("dependencies", List.of("999999999")), "input.dependencies", "job 999999999 does not exist");
    }

    @Test
    void dependencyOnAFailedJob() {
        String failed = Jobs.create(Map.of("kind", "test-fail", "maxAttempts", 1, "queue", Jobs.uniqueQueue()));
        Jobs.awaitStatus(failed, "FAILED");
        assertBadInput(Map.of("dependencies", List.of(failed)), "input.dependencies", "ended FAILED");
    }

    @Test
    void nameOverTwoHundredCharacters() {
        assertBadInput(Map.of("name", "x".repeat(201)), "input.name", "at most 200 characters");
    }

    @Test
    void payloadOverTheConfiguredSize() {
        assertBadInput(Map.of("payload", Map.of("blob", "y".repeat(20_000))), "input.payload", "jobyard.limits.max-payload-bytes");
    }

    @Test
    void payloadThatIsNotAJsonObjectNamesTheField() {
        // The JSON scalar takes any JSON value; the payload must be an object.
        assertBadInput(Map.of("payload", List.of(1, 2, 3)), "input.payload", "must be a JSON object, got array");
        assertBadInput(Map.of("payload", "text"), "input.payload", "must be a JSON object, got string");
        assertBadInput(Map.of("labels", 5), "input.labels", "must be a JSON object, got number");
    }

    @Test
    void handlerSpecificPayloadRules() {
        assertBadInput(Map.of("kind", "sleep", "payload", Map.of("ms", "soon")), "input.payload.ms", "milliseconds");
    }

    @Test
    void unknownJobIsNotFound() {
        JsonPath result = execute("{ job(id: \"999999998\") { id } }");
        assertEquals("NOT_FOUND", result.getString("errors[0].extensions.code"));
    }

    @Test
    void malformedIdIsBadInput() {
        JsonPath result = execute("{ job(id: \"abc\") { id } }");
        assertEquals("BAD_USER_INPUT", result.getString("errors[0].extensions.code"));
        assertTrue(result.getString("errors[0].message").startsWith("id:"));
    }

    @Test
    void nulInAnyTextIsBadInput() {
        assertBadInput(Map.of("name", "a\u0000b"), "input.name", "NUL");
        assertBadInput(Map.of("description", "a\u0000b"), "input.description", "NUL");
        assertBadInput(Map.of("labels", Map.of("team", "a\u0000b")), "input.labels.team", "NUL");
        assertBadInput(Map.of("payload", Map.of("k\u0000", "v")), "input.payload", "NUL");
        assertBadInput(Map.of("idempotencyKey", "k\u0000"), "input.idempotencyKey", "NUL");
    }

    @Test
    void everyTextIsMeasured() {
        assertBadInput(Map.of("description", "d".repeat(10_001)), "input.description", "jobyard.limits.max-description-length");
        assertBadInput(Map.of("labels", Map.of("big", "l".repeat(17_000))), "input.labels", "jobyard.limits.max-labels-bytes");
    }

    @Test
    void cancelReasonsAreMeasuredAndFreeOfNul() {
        String queue = Jobs.uniqueQueue();
        String id = Jobs.create(Map.of("kind", "noop", "queue", queue, "delaySeconds", 3600));
        for (String reason : List.of("r".repeat(1001), "stop\u0000now")) {
            JsonPath result = execute("mutation($id: ID!, $r: String) { cancelJob(id: $id, reason: $r) { status } }",
                    Map.of("id", id, "r", reason));
            assertEquals("BAD_USER_INPUT", result.getString("errors[0].extensions.code"), result.prettify());
            assertTrue(result.getString("errors[0].message").startsWith("reason:"), result.getString("errors[0].message"));
        }
        assertEquals("PENDING", Jobs.status(id));
    }

    @Test
    void aReasonOfTheLargestAllowedSizeIsRecorded() {
        // 1000 characters of three UTF-8 bytes each: the largest reason, in a cancel message of its own.
        String reason = "\u20ac".repeat(1000);
        String queue = Jobs.uniqueQueue();
        String pending = Jobs.create(Map.of("kind", "noop", "queue", queue, "delaySeconds", 3600));
        String running = Jobs.create(Map.of("kind", "sleep", "queue", queue, "payload", Map.of("ms", 60_000)));
        Jobs.awaitStatus(running, "RUNNING");
        for (String id : List.of(pending, running)) {
            GraphQLClient.ok("mutation($id: ID!, $r: String) { cancelJob(id: $id, reason: $r) { id } }", Map.of("id", id, "r", reason));
            JsonPath job = Jobs.awaitStatus(id, "CANCELLED");
            assertTrue(job.getString("error").contains(reason), "the reason is recorded: " + job.getString("error"));
        }
    }
}
