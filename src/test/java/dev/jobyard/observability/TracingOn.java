package dev.jobyard.observability;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The service with OpenTelemetry tracing switched on, as docs/observability.md describes, exporting to memory. */
public class TracingOn implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.otel.sdk.disabled", "false",
                "quarkus.otel.bsp.schedule.delay", "100ms",
                // Nothing listens for OTLP in the tests: the in-memory exporter is the one that matters.
                "quarkus.otel.exporter.otlp.traces.endpoint", "http://127.0.0.1:9",
                "quarkus.log.category.\"io.opentelemetry\".level", "OFF");
    }
}
