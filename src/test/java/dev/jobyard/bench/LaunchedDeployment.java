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
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

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
                String name = "bench-" + label + "-" + i;
                // "{replica}" lets per-process options name their files, e.g. one JFR recording per replica.
                List<String> options = jvmOptions.stream().map(o -> o.replace("{replica}", name)).toList();
                processes.add(ReplicaProcess.launch(name, options, withDatasource, logDir));
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
                new JobyardApi(new GraphQL("http://127.0.0.1:" + p.port(), BenchAuth.authorizationFor(settings))),
                OptionalLong.of(p.pid()))).toList();
        return new Service(endpoints, settings, () -> stop(processes));
    }

    /**
     * SIGTERM and a short wait, as an orchestrator stops a pod, so that JVM options acting at exit (a JFR
     * recording's dumponexit) take effect; SIGKILL for whatever is still running then.
     */
    private static void stop(List<ReplicaProcess> processes) {
        processes.stream().filter(ReplicaProcess::isAlive).forEach(ReplicaProcess::sigterm);
        for (ReplicaProcess process : processes) {
            try {
                process.waitExit(STOP_TIMEOUT);
            } catch (AssertionError stillRunning) {
                Progress.log(process.nodeId() + " did not stop within " + STOP_TIMEOUT + " of SIGTERM; killing it");
            } finally {
                process.close();
            }
        }
    }

    @Override
    public String describe() {
        return "packaged jar started by the tool per measurement: java " + String.join(" ", jvmOptions)
                + " -jar target/quarkus-app/quarkus-run.jar, settings " + STANDARD_SETTINGS;
    }
}
