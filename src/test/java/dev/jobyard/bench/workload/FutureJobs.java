package dev.jobyard.bench.workload;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.jobyard.bench.JobyardApi;

/** Pending jobs due an hour from now (W3, W6), created over GraphQL with createJobs and runAt, like a user scheduling ahead. */
final class FutureJobs {

    private FutureJobs() {
    }

    /** Creates {@code count} of them in calls of {@code batchSize}; returns their ids. */
    static List<Long> create(JobyardApi api, int count, int batchSize) {
        List<Long> ids = new ArrayList<>(count);
        for (List<Map<String, Object>> call : JobInputs.future(count, batchSize, OffsetDateTime.now().plusHours(1))) {
            ids.addAll(api.createJobs(call));
        }
        return ids;
    }
}
