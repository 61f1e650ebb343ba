package dev.jobyard.bench.report;

import java.util.List;
import java.util.Map;

import dev.jobyard.bench.WorkloadResult;

/** Everything one run of the tool found, with the context needed to read it. */
public record Report(String generatedAt, long elapsedSeconds, Map<String, Object> machine, String loadBefore,
        String loadAfter, Map<String, Object> versions, Map<String, Object> settings, Map<String, String> postgres,
        String deployment, Map<String, String> serviceSettings, List<WorkloadResult> results) {

    /** True when every workload ran and every correctness check held. */
    public boolean sound() {
        return results.stream().allMatch(WorkloadResult::sound);
    }
}
