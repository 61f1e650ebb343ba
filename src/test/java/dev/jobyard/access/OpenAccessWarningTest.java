package dev.jobyard.access;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The test profile runs open, as dev does, and says so on /q/health, which stays UP. */
@QuarkusTest
class OpenAccessWarningTest {

    @Test
    void healthCarriesTheWarningWhileAccessIsOpen() {
        JsonPath health = given().get("/q/health").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> checks = health.getList("checks");
        Map<String, Object> access = checks.stream().filter(c -> "access-control".equals(c.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no access-control check: " + health.prettify()));
        assertEquals("UP", access.get("status"));
        Map<?, ?> data = (Map<?, ?>) access.get("data");
        assertEquals(false, data.get("enabled"));
        assertTrue(String.valueOf(data.get("warning")).contains("access is open"), health.prettify());
    }
}
