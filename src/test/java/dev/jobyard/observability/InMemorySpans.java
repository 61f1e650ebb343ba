package dev.jobyard.observability;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;

/**
 * Collects finished spans in memory, for tests that switch tracing on ({@link TracingOn}). Quarkus hands
 * every SpanExporter bean its spans; with the SDK disabled (the default) it is never called.
 */
public class InMemorySpans {

    @Produces
    @Singleton
    InMemorySpanExporter exporter() {
        return InMemorySpanExporter.create();
    }
}
