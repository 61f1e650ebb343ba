package dev.jobyard.bench;

import java.util.Map;

/** Where the service under test comes from, and how each measurement gets a fresh database under it. */
public interface Deployment {

    /** The settings every measurement uses: concurrency 16 on the default queue, as the peers ran. */
    Map<String, String> STANDARD_SETTINGS = Map.of("jobyard.queues.default.concurrency", "16");

    /**
     * A fresh database and {@code replicas} replicas ready on it, with {@code extraSettings} on top of
     * {@link #STANDARD_SETTINGS}. Throws {@link UnsupportedOperationException} when this deployment cannot
     * provide that (a running service cannot be given other settings); the workload reports it as not measured.
     */
    Service fresh(String label, int replicas, Map<String, String> extraSettings) throws Exception;

    /** One line for the report. */
    String describe();
}
