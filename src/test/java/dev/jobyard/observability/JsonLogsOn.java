package dev.jobyard.observability;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The service with JSON console logs, and the job-log echo, switched on as docs/observability.md describes. */
public class JsonLogsOn implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.log.console.json.enabled", "true",
                "quarkus.log.category.\"jobyard.job-log\".level", "INFO");
    }
}
