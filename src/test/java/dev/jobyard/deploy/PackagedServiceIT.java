package dev.jobyard.deploy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.path.json.JsonPath;

/**
 * The packaged artifact, started by Quarkus as its own process in the production profile: the jar here, the native
 * executable under {@code -Pnative} (target/quarkus-artifact.properties says which). It answers the probes the
 * manifests use and runs a job created through GraphQL to the end.
 */
@QuarkusIntegrationTest
class PackagedServiceIT {

    @ParameterizedTest
    @ValueSource(strings = { "/q/health/live", "/q/health/ready", "/q/health/started" })
    void theProbesOfTheManifestsAnswerUp(String path) {
        given().get(path).then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void aJobCreatedThroughGraphQLRunsToCompletion() {
        // given a queue of this test's own
        String queue = Jobs.uniqueQueue();

        // when an echo job is created through the API
        String id = Jobs.create(Map.of("queue", queue, "kind", "echo", "payload", Map.of("hello", "native")));

        // then it completes at its first attempt with its payload as the result
        JsonPath done = Jobs.awaitStatus(id, "COMPLETED");
        assertEquals(1, done.getInt("attempts"));
        assertEquals("native", done.getString("result.hello"));
    }
}
