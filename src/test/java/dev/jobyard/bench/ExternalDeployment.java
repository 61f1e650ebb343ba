package dev.jobyard.bench;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.IntStream;

/**
 * Replicas someone else started ({@code -Dbench.url=http://host:port[,http://host2:port]}) on the benchmark
 * database. A fresh database here means its jobyard tables emptied, since the service keeps its connections
 * and schema; settings cannot be changed, so variants that need other settings are not measured.
 */
public final class ExternalDeployment implements Deployment {

    private final BenchDatabase database;
    private final List<String> urls;
    private final OptionalLong pid;

    public ExternalDeployment(BenchDatabase database, List<String> urls, OptionalLong pid) {
        this.database = database;
        this.urls = List.copyOf(urls);
        this.pid = pid;
    }

    @Override
    public Service fresh(String label, int replicas, Map<String, String> extraSettings) throws Exception {
        if (!extraSettings.isEmpty()) {
            throw new UnsupportedOperationException("needs the replicas started with " + extraSettings
                    + "; only a service the tool starts itself can be given settings (run without -Dbench.url)");
        }
        if (replicas > urls.size()) {
            throw new UnsupportedOperationException("needs " + replicas + " replicas; -Dbench.url lists " + urls.size());
        }
        database.emptyJobyardTables();
        for (String note : database.vacuumAnalyzeAndCheckpoint()) {
            Progress.log(note);
        }
        List<Service.Replica> endpoints = IntStream.range(0, replicas).mapToObj(i -> new Service.Replica(urls.get(i),
                new JobyardApi(new GraphQL(urls.get(i))), i == 0 ? pid : OptionalLong.empty())).toList();
        // The tool does not know how these replicas were configured; it assumes the standard settings were given.
        return new Service(endpoints, Map.of("expected of the operator", "jobyard.queues.default.concurrency=16"), () -> {
        });
    }

    @Override
    public String describe() {
        return "running service at " + String.join(", ", urls) + " (its tables emptied before each measurement)"
                + (pid.isPresent() ? ", pid " + pid.getAsLong() : "");
    }
}
