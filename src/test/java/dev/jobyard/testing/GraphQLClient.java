package dev.jobyard.testing;

import static io.restassured.RestAssured.given;

import java.util.Map;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** Posts GraphQL documents to /graphql the way a frontend does. */
public final class GraphQLClient {

    private GraphQLClient() {
    }

    public static JsonPath execute(String query) {
        return execute(query, Map.of());
    }

    public static JsonPath execute(String query, Map<String, Object> variables) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("query", query, "variables", variables))
                .when().post("/graphql")
                .then().statusCode(200)
                .extract().jsonPath();
    }

    /** An answer to a raw POST. */
    public record Answer(int statusCode, String body) {
        public JsonPath jsonPath() {
            return new JsonPath(body);
        }

        public String asString() {
            return body;
        }
    }

    /** Posts a raw body with the given Content-Type, as a browser form or a hand-written client might. */
    public static Answer postRaw(String contentType, String body) {
        try {
            var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(io.restassured.RestAssured.baseURI + ":"
                    + io.restassured.RestAssured.port + "/graphql"))
                    .header("Content-Type", contentType)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build();
            var response = java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Posts a GraphQL request with extra headers ({@code Authorization: Bearer …}, {@code X-Api-Key}, a browser's
     * {@code Origin}), whatever the status of the answer.
     */
    public static Answer as(Map<String, String> headers, String query, Map<String, Object> variables) {
        var response = given().contentType(ContentType.JSON).headers(headers)
                .body(Map.of("query", query, "variables", variables))
                .when().post("/graphql");
        return new Answer(response.statusCode(), response.asString());
    }

    /** Posts with {@code Authorization: Bearer <credential>} (an API key or a token). */
    public static Answer as(String credential, String query, Map<String, Object> variables) {
        return as(Map.of("Authorization", "Bearer " + credential), query, variables);
    }

    /** Runs with a credential and asserts there was no error; returns the data. */
    public static JsonPath okAs(String credential, String query, Map<String, Object> variables) {
        Answer answer = as(credential, query, variables);
        if (answer.statusCode() != 200 || answer.jsonPath().get("errors") != null) {
            throw new AssertionError("GraphQL errors (" + answer.statusCode() + "): " + answer.body() + " for " + query);
        }
        return answer.jsonPath().setRootPath("data");
    }

    /** Runs and asserts there was no error; returns the data. */
    public static JsonPath ok(String query, Map<String, Object> variables) {
        JsonPath result = execute(query, variables);
        Object errors = result.get("errors");
        if (errors != null) {
            throw new AssertionError("GraphQL errors: " + errors + " for " + query);
        }
        return result.setRootPath("data");
    }

    public static JsonPath ok(String query) {
        return ok(query, Map.of());
    }
}
