package dev.jobyard.observability;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Await;
import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.Jobs;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** With tracing on, a job's run is a span in the trace of the request that created it. */
@QuarkusTest
@TestProfile(TracingOn.class)
class JobTracingTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Inject
    InMemorySpanExporter spans;

    /** Creates a job in a request that continues trace {@link #TRACE_ID}, as a traced client would send it. */
    private static String createInTrace(Map<String, Object> input) {
        return given().contentType("application/json")
                .header("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01")
                .body(Map.of("query", "mutation($in: JobInput!) { createJob(input: $in) { id } }", "variables", Map.of("in", input)))
                .post("/graphql").then().statusCode(200).extract().jsonPath().getString("data.createJob.id");
    }

    private List<SpanData> runSpansOf(String jobId) {
        return spans.getFinishedSpanItems().stream()
                .filter(s -> Long.valueOf(jobId).equals(s.getAttributes().get(AttributeKey.longKey("jobyard.job.id"))))
                .toList();
    }

    /** The SERVER span the run descends from (through the resolver's spans), or null while not all are exported. */
    private SpanData serverAncestor(SpanData run) {
        Map<String, SpanData> byId = spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(TRACE_ID))
                .collect(Collectors.toMap(SpanData::getSpanId, s -> s, (a, b) -> a));
        SpanData at = byId.get(run.getParentSpanId());
        while (at != null && at.getKind() != SpanKind.SERVER) {
            at = byId.get(at.getParentSpanId());
        }
        return at;
    }

    @Test
    void aJobsRunIsAChildOfTheRequestThatCreatedIt() {
        // Given a job created by a GraphQL request that is part of a trace
        String id = createInTrace(Map.of("kind", "echo", "queue", Jobs.uniqueQueue()));

        // When it has run
        Jobs.awaitStatus(id, "COMPLETED");
        List<SpanData> runs = Await.until(Duration.ofSeconds(10), () -> runSpansOf(id), l -> !l.isEmpty(), "the run's span");

        // Then its span is in the request's trace, below the request's server span
        SpanData run = runs.get(0);
        assertEquals(TRACE_ID, run.getTraceId());
        assertEquals("job echo", run.getName());
        assertEquals(SpanKind.CONSUMER, run.getKind());
        SpanData request = Await.until(Duration.ofSeconds(10), () -> serverAncestor(run), r -> r != null,
                "the request's server span among the run's ancestors");
        assertEquals("POST /graphql", request.getName());
        // and it says which job, attempt and replica it was
        assertEquals(1L, run.getAttributes().get(AttributeKey.longKey("jobyard.job.attempt")));
        assertEquals("echo", run.getAttributes().get(AttributeKey.stringKey("jobyard.job.kind")));
    }

    @Test
    void everyAttemptOfARetriedJobJoinsTheSameTraceAndAFailureIsMarked() {
        // Given a job that fails once, created in a traced request
        String id = createInTrace(Map.of("kind", "test-flaky", "queue", Jobs.uniqueQueue(), "payload", Map.of("succeedOn", 2)));

        // When it has run twice
        Jobs.awaitStatus(id, "COMPLETED");
        List<SpanData> runs = Await.until(Duration.ofSeconds(10), () -> runSpansOf(id), l -> l.size() == 2, "two run spans");

        // Then both attempts are in the creator's trace, the failed one with error status
        assertTrue(runs.stream().allMatch(s -> s.getTraceId().equals(TRACE_ID)));
        SpanData first = runs.stream().filter(s -> s.getAttributes().get(AttributeKey.longKey("jobyard.job.attempt")) == 1L)
                .findFirst().orElseThrow();
        assertEquals(io.opentelemetry.api.trace.StatusCode.ERROR, first.getStatus().getStatusCode());
        assertEquals(1L, Jdbc.<Number>value("SELECT count(*) FROM jobyard.job_trace WHERE job_id = ?", Long.parseLong(id)).longValue());
    }
}
