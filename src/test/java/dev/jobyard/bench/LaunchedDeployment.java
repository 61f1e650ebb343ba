package dev.jobyard.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;

import dev.jobyard.testing.ReplicaProcess;

/**
 * The tool starts the packaged jar itself, once per measurement: drop and create the database, launch the
 * replicas (Flyway migrates on start), wait until ready, VACUUM ANALYZE and CHECKPOINT. Every measurement is
 * therefore a cold JVM; the peers' JVM repetitions 2 and 3 ran warm.
 */
public final class LaunchedDeployment implements Deployment {

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

    private final BenchDatabase database;
    private final List<String> jvmOptions;
    private final Path logRoot;
    private final AtomicInteger started = new AtomicInteger();

    public LaunchedDeployment(BenchDatabase database, List<String> jvmOptions, Path logRoot) {
        this.database = database;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.logRoot = logRoot;
    }

    @Override
    public Service fresh(String label, int replicas, Map<String, String> extraSettings) throws Exception {
        database.recreate();
        Map<String, String> settings = new LinkedHashMap<>(STANDARD_SETTINGS);
        settings.putAll(extraSettings);
        Map<String, String> withDatasource = new LinkedHashMap<>(database.quarkusConfig());
        withDatasource.putAll(settings);
        Path logDir = logRoot.resolve(String.format("%02d-%s", started.incrementAndGet(), label));
        List<ReplicaProcess> processes = new ArrayList<>();
        try {
            for (int i = 1; i <= replicas; i++) {
                processes.add(ReplicaProcess.launch("bench-" + label + "-" + i, jvmOptions, withDatasource, logDir));
            }
            for (ReplicaProcess process : processes) {
                process.waitReady(READY_TIMEOUT);
            }
            for (String note : database.vacuumAnalyzeAndCheckpoint()) {
                Progress.log(note);
            }
        } catch (Exception e) {
            processes.forEach(ReplicaProcess::close);
            throw e;
        } catch (AssertionError e) {
            // waitReady reports a replica that died or never got ready this way; here it is a failed start.
            processes.forEach(ReplicaProcess::close);
            throw new IllegalStateException(e.getMessage(), e);
        }
        List<Service.Replica> endpoints = processes.stream().map(p -> new Service.Replica(p.nodeId(),
                new JobyardApi(new GraphQL("http://127.0.0.1:" + p.port())), OptionalLong.of(p.pid()))).toList();
        return new Service(endpoints, settings, () -> processes.forEach(ReplicaProcess::close));
    }

    @Override
    public String describe() {
        return "packaged jar started by the tool per measurement: java " + String.join(" ", jvmOptions)
                + " -jar target/quarkus-app/quarkus-run.jar, settings " + STANDARD_SETTINGS;
    }
}
