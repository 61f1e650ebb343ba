package dev.jobyard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.GraphQLClient;
import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * What one request may cost: aliases, depth, the fields it selects (fragments expanded), JSON nesting and
 * the jobs of all its createJobs fields together. Each is refused with BAD_USER_INPUT naming its setting,
 * before anything runs, and the replica goes on answering.
 */
@QuarkusTest
class RequestCostTest {

    private static void assertRefused(JsonPath result, String setting) {
        assertEquals("BAD_USER_INPUT", result.getString("errors[0].extensions.code"), result.prettify());
        assertTrue(result.getString("errors[0].message").contains(setting), result.getString("errors[0].message"));
    }

    /** The replica still takes a job and runs it (a count that may be 0 would show nothing). */
    private static void assertStillAnswering() {
        Jobs.awaitStatus(Jobs.create(Map.of("kind", "noop", "queue", Jobs.uniqueQueue())), "COMPLETED");
    }

    @Test
    void oneHundredFiftyAliasesOverABigPayloadAreRefused() {
        String id = Jobs.create(Map.of("kind", "noop", "queue", Jobs.uniqueQueue(), "delaySeconds", 3600,
                "payload", Map.of("blob", "x".repeat(9_000))));
        StringBuilder query = new StringBuilder("query($id: ID!) {");
        for (int i = 0; i < 150; i++) {
            query.append(" a").append(i).append(": job(id: $id) { payload }");
        }
        JsonPath result = GraphQLClient.execute(query.append(" }").toString(), Map.of("id", id));
        assertRefused(result, "jobyard.api.max-aliases");
        assertNull(result.get("data"));
        assertStillAnswering();
    }

    @Test
    void aQueryDeeperThanTheLimitIsRefused() {
        String deep = "{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType "
                + "{ ofType { ofType { ofType { ofType { name } } } } } } } } } } } } } } } }";
        assertRefused(GraphQLClient.execute(deep), "jobyard.api.max-query-depth");
    }

    @Test
    void fragmentsThatMultiplyEachOtherAreRefused() {
        StringBuilder query = new StringBuilder("query { ...F20 } fragment F0 on Query { stats { completedLastMinute } }");
        for (int i = 1; i <= 20; i++) {
            query.append(" fragment F").append(i).append(" on Query { ...F").append(i - 1).append(" ...F").append(i - 1)
                    .append(" }");
        }
        // A million fields if expanded; counting stops at the limit.
        assertRefused(GraphQLClient.execute(query.toString()), "jobyard.api.max-query-complexity");
        assertStillAnswering();
    }

    @Test
    void jsonNestedSixHundredDeepIsRefused() {
        String deep = "[".repeat(600) + "]".repeat(600);
        String body = "{\"query\": \"mutation($in: JobInput!) { createJob(input: $in) { id } }\", \"variables\": {\"in\": "
                + "{\"kind\": \"noop\", \"payload\": {\"deep\": " + deep + "}}}}";
        GraphQLClient.Answer answer = GraphQLClient.postRaw("application/json", body);
        assertEquals(400, answer.statusCode(), answer.asString());
        assertRefused(answer.jsonPath(), "jobyard.api.max-json-depth");
        assertStillAnswering();
    }

    @Test
    void theBatchLimitCoversAllAliasedFieldsTogether() {
        String queue = Jobs.uniqueQueue();
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            items.add(Map.of("kind", "noop", "queue", queue, "delaySeconds", 3600));
        }
        // Each field alone is within jobyard.limits.max-batch-size (5000); together they are not.
        JsonPath result = GraphQLClient.execute("mutation($a: [JobInput!]!, $b: [JobInput!]!) { "
                + "a: createJobs(inputs: $a) { id } b: createJobs(inputs: $b) { id } }", Map.of("a", items, "b", items));
        assertRefused(result, "jobyard.limits.max-batch-size");
        assertEquals(List.of(), GraphQLClient.ok("query($q: String) { jobs(queue: $q, first: 1) { nodes { id } } }",
                Map.of("q", queue)).getList("jobs.nodes"));
    }
}
