package dev.jobyard.bench;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The service under test for one measurement: its replicas, reachable over GraphQL, and whatever must happen
 * when the measurement is over (stopping the processes the tool started; nothing for a running service).
 */
public final class Service implements AutoCloseable {

    /** One replica: its name, its API, and its process id when the tool knows it (for RSS). */
    public record Replica(String name, JobyardApi api, OptionalLong pid) {
    }

    private final List<Replica> replicas;
    private final Map<String, String> settings;
    private final Runnable stop;

    public Service(List<Replica> replicas, Map<String, String> settings, Runnable stop) {
        this.replicas = List.copyOf(replicas);
        this.settings = Map.copyOf(settings);
        this.stop = stop;
    }

    public List<Replica> replicas() {
        return replicas;
    }

    public Replica first() {
        return replicas.get(0);
    }

    public JobyardApi api() {
        return first().api();
    }

    /** The {@code -D} settings the replicas run with (datasource excluded), for the report. */
    public Map<String, String> settings() {
        return settings;
    }

    @Override
    public void close() {
        stop.run();
    }
}
