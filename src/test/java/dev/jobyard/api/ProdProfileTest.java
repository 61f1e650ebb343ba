package dev.jobyard.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.GraphQLClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * The production profile's settings, as application.properties writes them under {@code %prod}: the GraphQL
 * UI is off, and an operator who sets {@code jobyard.api.introspection=false} gets no schema from queries.
 */
@QuarkusTest
@TestProfile(ProdProfileTest.ProdSettings.class)
class ProdProfileTest {

    /** Every {@code %prod.} key of application.properties, applied to the test run, and introspection off. */
    public static class ProdSettings implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Properties properties = new Properties();
            try (InputStream in = ProdProfileTest.class.getResourceAsStream("/application.properties")) {
                properties.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Map<String, String> overrides = new HashMap<>();
            properties.stringPropertyNames().stream().filter(k -> k.startsWith("%prod."))
                    .forEach(k -> overrides.put(k.substring("%prod.".length()), properties.getProperty(k)));
            assertTrue(overrides.containsKey("quarkus.smallrye-graphql.ui.enabled"), "the prod profile sets the UI: " + overrides);
            overrides.put("jobyard.api.introspection", "false");
            return overrides;
        }
    }

    @Test
    void theGraphQLUiIsOff() {
        assertEquals(404, given().when().get("/q/graphql-ui/").then().extract().statusCode());
    }

    @Test
    void introspectionCanBeSwitchedOff() {
        JsonPath result = GraphQLClient.execute("{ __schema { types { name } } }");
        assertEquals("FORBIDDEN", result.getString("errors[0].extensions.code"), result.prettify());
        JsonPath type = GraphQLClient.execute("{ __type(name: \"Job\") { fields { name } } }");
        assertEquals("FORBIDDEN", type.getString("errors[0].extensions.code"), type.prettify());
        // Ordinary queries work, __typename included.
        assertEquals("Query", GraphQLClient.ok("{ __typename }").getString("__typename"));
    }
}
