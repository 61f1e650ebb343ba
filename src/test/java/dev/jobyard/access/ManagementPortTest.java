package dev.jobyard.access;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.jobyard.testing.GraphQLClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * With Quarkus's management interface on (AuthOn turns it on, on a free port), health and metrics are served there,
 * without credentials, and no longer on the API's port, while the GraphQL API on its own port requires credentials.
 */
@QuarkusTest
@TestProfile(AuthOn.class)
class ManagementPortTest {

    private static String management(String path) {
        int port = ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
        return "http://127.0.0.1:" + port + path;
    }

    @Test
    void healthAndMetricsAnswerOnTheManagementPortWithoutCredentials() {
        for (String path : new String[] {"/q/health", "/q/health/live", "/q/health/ready", "/q/health/started"}) {
            given().get(management(path)).then().statusCode(200);
        }
        String metrics = given().get(management("/q/metrics")).then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("jobyard_"), "Jobyard's own metrics are there");
        String health = given().get(management("/q/health")).then().extract().asString();
        assertTrue(health.contains("access-control") && health.contains("\"enabled\": true")
                || health.contains("\"enabled\":true"), health);
    }

    @Test
    void theApiPortServesNeitherAndStillRequiresCredentials() {
        given().get("/q/health").then().statusCode(404);
        given().get("/q/metrics").then().statusCode(404);
        GraphQLClient.Answer anonymous = GraphQLClient.as(Map.of(), "{ jobs { nodes { id } } }", Map.of());
        assertEquals("UNAUTHENTICATED", anonymous.jsonPath().getString("errors[0].extensions.code"), anonymous.body());
        given().contentType("application/json").body("{\"query\": \"{ __typename }\"}").post(management("/graphql"))
                .then().statusCode(404);
    }
}
