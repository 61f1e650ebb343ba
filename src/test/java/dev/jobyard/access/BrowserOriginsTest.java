package dev.jobyard.access;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * CORS for the configured origins only (here https://console.example): a browser page there may send JSON with
 * an Authorization header; a page anywhere else gets no CORS headers, so its browser refuses it.
 */
@QuarkusTest
@TestProfile(AuthOn.class)
class BrowserOriginsTest {

    private static Response preflight(String origin) {
        return given().header("Origin", origin).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .when().options("/graphql");
    }

    @Test
    void aConfiguredOriginMayCallWithCredentials() {
        Response answer = preflight("https://console.example");
        assertEquals("https://console.example", answer.getHeader("Access-Control-Allow-Origin"), answer.headers().toString());
        String allowed = answer.getHeader("Access-Control-Allow-Headers");
        assertEquals(true, allowed != null && allowed.toLowerCase().contains("authorization"), answer.headers().toString());
    }

    @Test
    void anyOtherOriginGetsNoCorsHeaders() {
        Response answer = preflight("https://evil.example");
        assertNull(answer.getHeader("Access-Control-Allow-Origin"), answer.headers().toString());
    }
}
