package dev.jobyard.bench.workload;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The {@code JobInput}s the workloads send, cut into {@code createJobs} calls of at most {@code batchSize} items. */
final class JobInputs {

    private JobInputs() {
    }

    /** {@code count} noop jobs on the default queue; job i carries payload {@code {"i": i}}, as in the peers' W1. */
    static List<List<Map<String, Object>>> noop(int count, int batchSize) {
        List<Map<String, Object>> all = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            all.add(Map.of("kind", "noop", "payload", Map.of("i", i)));
        }
        return split(all, batchSize);
    }

    /** {@code count} noop jobs that may not start before {@code runAt} (the "future jobs" of W3 and W6). */
    static List<List<Map<String, Object>>> future(int count, int batchSize, OffsetDateTime runAt) {
        String at = runAt.withOffsetSameInstant(ZoneOffset.UTC).toString();
        List<Map<String, Object>> all = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            all.add(Map.of("kind", "noop", "payload", Map.of("future", i), "runAt", at));
        }
        return split(all, batchSize);
    }

    /**
     * {@code chains} independent chains of {@code length} noop jobs, each depending on the one before by ref.
     * Refs only reach within one call, so a chain never straddles two calls: a call holds as many whole chains
     * as fit in {@code batchSize}.
     */
    static List<List<Map<String, Object>>> chains(int chains, int length, int batchSize) {
        int chainsPerCall = Math.max(1, batchSize / length);
        List<List<Map<String, Object>>> calls = new ArrayList<>();
        for (int first = 0; first < chains; first += chainsPerCall) {
            List<Map<String, Object>> call = new ArrayList<>();
            for (int c = first; c < Math.min(chains, first + chainsPerCall); c++) {
                for (int step = 0; step < length; step++) {
                    String ref = "c" + c + "-" + step;
                    Map<String, Object> payload = Map.of("chain", c, "step", step);
                    call.add(step == 0 ? Map.of("kind", "noop", "ref", ref, "payload", payload)
                            : Map.of("kind", "noop", "ref", ref, "payload", payload,
                                    "dependsOnRefs", List.of("c" + c + "-" + (step - 1))));
                }
            }
            calls.add(call);
        }
        return calls;
    }

    private static List<List<Map<String, Object>>> split(List<Map<String, Object>> all, int batchSize) {
        List<List<Map<String, Object>>> calls = new ArrayList<>();
        for (int from = 0; from < all.size(); from += batchSize) {
            calls.add(all.subList(from, Math.min(all.size(), from + batchSize)));
        }
        return calls;
    }
}
