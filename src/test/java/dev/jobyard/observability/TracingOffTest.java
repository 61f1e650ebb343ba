package dev.jobyard.observability;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;

/** Tracing is off by default: a traced request's jobs run as usual, and no trace context is stored. */
@QuarkusTest
class TracingOffTest {

    @Test
    void aJobCreatedInATracedRequestStoresNoTraceWhileTracingIsOff() {
        // Given the default configuration (quarkus.otel.sdk.disabled=true)
        // When a client that traces creates a job
        String id = given().contentType("application/json")
                .header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                .body(Map.of("query", "mutation { createJob(input: {kind: \"echo\"}) { id } }"))
                .post("/graphql").then().statusCode(200).extract().jsonPath().getString("data.createJob.id");

        // Then the job runs, and nothing about the trace is written
        Jobs.awaitStatus(id, "COMPLETED");
        assertEquals(0L, Jdbc.<Number>value("SELECT count(*) FROM jobyard.job_trace WHERE job_id = ?", Long.parseLong(id)).longValue());
    }
}
