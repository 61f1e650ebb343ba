package dev.jobyard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.GraphQLClient;
import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;

/**
 * Malformed requests of every kind (wrong types, unknown fields, bad enums, a broken body, bad variables)
 * are answered with errors that all carry extensions.code, name what is wrong, and create nothing.
 */
@QuarkusTest
class EveryErrorHasACodeTest {

    private static final String CREATE = "mutation($in: JobInput!) { createJob(input: $in) { id } }";

    private final String queue = Jobs.uniqueQueue();

    private static String request(String query, Map<String, Object> variables) {
        return new JsonObject().put("query", query).put("variables", new JsonObject(variables)).encode();
    }

    /** Sends the body; every error has a code, the first names {@code mentions}; returns the first code. */
    private String codeOf(String body, String mentions) {
        GraphQLClient.Answer response = GraphQLClient.postRaw("application/json", body);
        JsonPath json = response.jsonPath();
        List<Map<String, Object>> errors = json.getList("errors");
        assertNotNull(errors, "expected errors for " + body + ", got " + response.asString());
        assertFalse(errors.isEmpty(), response.asString());
        for (int i = 0; i < errors.size(); i++) {
            assertNotNull(json.getString("errors[" + i + "].extensions.code"), "error without a code for " + body + ": " + response.asString());
        }
        assertTrue(json.getString("errors[0].message").contains(mentions),
                "the error should name '" + mentions + "': " + response.asString());
        assertEquals(List.of(), GraphQLClient.ok("query($q: String) { jobs(queue: $q) { nodes { id } } }",
                Map.of("q", queue)).getList("jobs.nodes"), "nothing may be created by " + body);
        return json.getString("errors[0].extensions.code");
    }

    @Test
    void wrongTypesInLiteralsAndVariables() {
        assertEquals("BAD_USER_INPUT", codeOf(request("mutation { createJob(input: {kind: \"noop\", queue: \"" + queue
                + "\", priority: \"high\"}) { id } }", Map.of()), "priority"));
        assertEquals("BAD_USER_INPUT", codeOf(request(CREATE, Map.of("in", Map.of("kind", "noop", "queue", queue,
                "priority", "high"))), "in.priority"));
        assertEquals("BAD_USER_INPUT", codeOf(request(CREATE, Map.of("in", Map.of("kind", "noop", "queue", queue,
                "runAt", "not a date"))), "in.runAt"));
        assertEquals("BAD_USER_INPUT", codeOf(request(CREATE, Map.of("in", Map.of("kind", 5, "queue", queue))), "in.kind"));
        assertEquals("BAD_USER_INPUT", codeOf(request(CREATE, Map.of("in", Map.of("kind", "noop", "queue", queue,
                "dependencies", 12.5))), "input.dependencies"));
    }

    @Test
    void jsonThatIsNotAnObject() {
        assertEquals("BAD_USER_INPUT", codeOf(request(CREATE, Map.of("in", Map.of("kind", "noop", "queue", queue,
                "payload", List.of(1, 2)))), "input.payload"));
        assertEquals("BAD_USER_INPUT", codeOf(request("mutation { createJob(input: {kind: \"noop\", queue: \"" + queue
                + "\", payload: [1, 2]}) { id } }", Map.of()), "input.payload"));
        assertEquals("BAD_USER_INPUT", codeOf(request("mutation($in: [JobInput!]!) { createJobs(inputs: $in) { id } }",
                Map.of("in", List.of(Map.of("kind", "noop", "queue", queue), Map.of("kind", "noop", "queue", queue,
                        "labels", "x")))), "inputs[1].labels"));
    }

    @Test
    void unknownFieldsAndArguments() {
        assertEquals("BAD_USER_INPUT", codeOf(request(CREATE, Map.of("in", Map.of("kind", "noop", "queue", queue,
                "colour", "red"))), "colour"));
        assertEquals("BAD_USER_INPUT", codeOf(request("mutation { createJob(input: {kind: \"noop\", queue: \"" + queue
                + "\", colour: \"red\"}) { id } }", Map.of()), "colour"));
        assertEquals("BAD_USER_INPUT", codeOf(request("{ jobs(colour: 1) { nodes { id } } }", Map.of()), "colour"));
        assertEquals("BAD_USER_INPUT", codeOf(request("{ nothingHere }", Map.of()), "nothingHere"));
    }

    @Test
    void badEnums() {
        assertEquals("BAD_USER_INPUT", codeOf(request("{ jobs(status: SLEEPING) { nodes { id } } }", Map.of()), "SLEEPING"));
        assertEquals("BAD_USER_INPUT", codeOf(request("query($s: JobStatus) { jobs(status: $s) { nodes { id } } }",
                Map.of("s", "SLEEPING")), "SLEEPING"));
    }

    @Test
    void missingAndNullRequiredValues() {
        assertEquals("BAD_USER_INPUT", codeOf(request(CREATE, Map.of()), "in"));
        assertEquals("BAD_USER_INPUT", codeOf(request(CREATE, Map.of("in", Map.of("queue", queue))), "kind"));
        assertEquals("BAD_USER_INPUT", codeOf(request("{ job { id } }", Map.of()), "id"));
    }

    @Test
    void brokenDocumentsAndBodies() {
        assertEquals("BAD_USER_INPUT", codeOf(request("{ jobs { nodes { id }", Map.of()), "syntax"));
        assertEquals("BAD_USER_INPUT", codeOf("{\"query\": \"{ jobs { nodes { id } } }\"", "not valid JSON"));
        assertEquals("BAD_USER_INPUT", codeOf("[1, 2]", "JSON object"));
        assertEquals("BAD_USER_INPUT", codeOf("{\"variables\": {}}", "query"));
        assertEquals("BAD_USER_INPUT", codeOf("{\"query\": 5}", "query"));
        assertEquals("BAD_USER_INPUT", codeOf("{\"query\": \"{ stats { completedLastMinute } }\", \"variables\": \"x\"}", "variables"));
        assertEquals("BAD_USER_INPUT", codeOf("{\"query\": \"{ stats { completedLastMinute } }\", \"operationName\": 3}", "operationName"));
        assertEquals("BAD_USER_INPUT", codeOf(request("query A { stats { completedLastMinute } } query B { stats { completedLastMinute } }", Map.of()), "operation"));
    }

    @Test
    void resolverErrorsKeepTheirCodes() {
        assertEquals("NOT_FOUND", codeOf(request("{ job(id: \"999999997\") { id } }", Map.of()), "999999997"));
        assertEquals("BAD_USER_INPUT", codeOf(request("{ job(id: \"abc\") { id } }", Map.of()), "id"));
    }
}
