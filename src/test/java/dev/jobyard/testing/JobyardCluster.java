package dev.jobyard.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * N replicas of the packaged service on the one test database, for black-box multi-process tests:
 *
 * <pre>
 * &#64;RegisterExtension
 * final JobyardCluster cluster = JobyardCluster.builder("crash").replicas(2).with("jobyard.lease-timeout", "3s").build();
 *
 * &#64;Test
 * void aJobOfAKilledReplicaIsRetried() {
 *     cluster.start();
 *     ...
 *     ReplicaProcess victim = cluster.replica(workerOfTheJob);
 *     victim.kill9();
 *     ...
 * }
 * </pre>
 *
 * Settings may differ per replica ({@code withReplica(n, key, value)}), e.g. a database login of its own that
 * a test cuts off. Fault hooks live on {@link ReplicaProcess} ({@code kill9}, {@code sigterm}, {@code sigstop}/{@code sigcont});
 * {@link #restart} replaces a replica by a new process with the same node id. Every process started is
 * stopped after each test, pass or fail; when a test fails, each replica's log tail is printed.
 * Node ids and {@link #unique} names carry a per-test run id, so tests sharing the database (and
 * reruns against it) never see each other's replicas or queues; active jobs left in a test's
 * queues are deleted after it, so that a failed test's jobs do not run in the next test's replicas.
 */
public final class JobyardCluster implements BeforeEachCallback, AfterTestExecutionCallback, AfterEachCallback {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final int TAIL_LINES = 80;

    private final String name;
    private final int size;
    private final Map<String, String> properties;
    private final Map<Integer, Map<String, String>> replicaProperties;
    private final Supplier<TestDatabase.Target> database;
    private final List<ReplicaProcess> replicas = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> uniqueNames = ConcurrentHashMap.newKeySet();
    private String runId;
    private Path logDir;

    private JobyardCluster(String name, int size, Map<String, String> properties,
            Map<Integer, Map<String, String>> replicaProperties, Supplier<TestDatabase.Target> database) {
        this.name = name;
        this.size = size;
        this.properties = properties;
        this.replicaProperties = replicaProperties;
        this.database = database;
    }

    /** Replicas are named {@code <name>-<n>-<run id>}, which is also how they sign jobs' {@code worker}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    public static final class Builder {
        private final String name;
        private int replicas = 2;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final Map<Integer, Map<String, String>> replicaProperties = new LinkedHashMap<>();
        private Supplier<TestDatabase.Target> database = TestDatabase::target;

        private Builder(String name) {
            this.name = name;
        }

        /** How many replicas {@link JobyardCluster#start()} launches; default 2. */
        public Builder replicas(int count) {
            this.replicas = count;
            return this;
        }

        /** A configuration property every replica gets as {@code -Dkey=value}. */
        public Builder with(String key, String value) {
            properties.put(key, value);
            return this;
        }

        /**
         * The test profile's short timings on every replica, so that expiry, rescue and leader changes happen in
         * seconds: a job lease of {@code lease} renewed every second, a 3 s leadership lease, rescue every second,
         * retries after 100 ms to 1 s.
         */
        public Builder shortTimings(Duration lease) {
            return with("jobyard.lease-timeout", lease.toSeconds() + "s")
                    .with("jobyard.heartbeat-interval", "1s")
                    .with("jobyard.leader.lease-time", "3s")
                    .with("jobyard.leader.renew-interval", "1s")
                    .with("jobyard.leader.rescue-interval", "1s")
                    .with("jobyard.retry.base-delay", "100ms")
                    .with("jobyard.retry.max-delay", "1s");
        }

        /**
         * A configuration property only replica {@code n} (1-based, as in its name) gets, over the cluster's: a
         * database login of its own, say, that a test can cut off.
         */
        public Builder withReplica(int n, String key, String value) {
            replicaProperties.computeIfAbsent(n, k -> new LinkedHashMap<>()).put(key, value);
            return this;
        }

        /**
         * The database the replicas use instead of the test database, asked for when they start: a
         * {@link DisposablePostgres} that a static extension creates before the tests.
         */
        public Builder database(Supplier<TestDatabase.Target> database) {
            this.database = database;
            return this;
        }

        public JobyardCluster build() {
            Map<Integer, Map<String, String>> perReplica = new LinkedHashMap<>();
            replicaProperties.forEach((n, props) -> perReplica.put(n, Map.copyOf(props)));
            return new JobyardCluster(name, replicas, Map.copyOf(properties), Map.copyOf(perReplica), database);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        runId = UUID.randomUUID().toString().substring(0, 6);
        logDir = Path.of("target", "it-replicas", context.getRequiredTestClass().getSimpleName(),
                context.getRequiredTestMethod().getName() + "-" + runId);
    }

    /** Launches every replica at once and returns when all report ready. */
    public List<ReplicaProcess> start() {
        if (runId == null) {
            throw new IllegalStateException("register the cluster with @RegisterExtension before starting it");
        }
        for (int i = 1; i <= size; i++) {
            replicas.add(ReplicaProcess.start(name + "-" + i + "-" + runId, settings(i), logDir, database.get()));
        }
        for (ReplicaProcess replica : replicas()) {
            replica.waitReady(START_TIMEOUT);
        }
        return replicas();
    }

    /**
     * Launches one more replica with the cluster's settings, named after the ones before it, and returns when it
     * is ready: a replacement pod in a rolling update.
     */
    public ReplicaProcess startAnother() {
        int n = replicas.size() + 1;
        ReplicaProcess replica = ReplicaProcess.start(name + "-" + n + "-" + runId, settings(n), logDir, database.get());
        replicas.add(replica);
        return replica.waitReady(START_TIMEOUT);
    }

    /**
     * Starts {@code stopped} again under its node id, as Kubernetes restarts a killed container in its pod, and
     * returns the new process at once, not yet ready: the caller may wait for it or carry on. It replaces the old
     * one in {@link #replicas()}; its output goes on in the same log.
     */
    public ReplicaProcess restart(ReplicaProcess stopped) {
        if (stopped.isAlive()) {
            throw new IllegalStateException(stopped + " is still running");
        }
        synchronized (replicas) {
            int index = replicas.indexOf(stopped);
            ReplicaProcess replica = ReplicaProcess.start(stopped.nodeId(), settings(index + 1), logDir, database.get());
            replicas.set(index, replica);
            return replica;
        }
    }

    /** The database the replicas use. */
    public Jdbc jdbc() {
        return Jdbc.on(database.get());
    }

    /**
     * Stops {@code replica} gracefully (SIGTERM) and starts a new process with the same node id and settings in
     * its place, as a pod with a fixed {@code JOBYARD_NODE_ID} restarts; returns it once ready.
     */
    public ReplicaProcess restartGracefully(ReplicaProcess replica) {
        replica.sigterm();
        int exit = replica.waitExit(Duration.ofSeconds(30));
        if (exit != 0 && exit != 143) {
            throw new AssertionError("replica " + replica.nodeId() + " exited with " + exit + " on SIGTERM");
        }
        return restart(replica).waitReady(START_TIMEOUT);
    }

    /** The settings of replica {@code n}: the cluster's, with its own over them. */
    private Map<String, String> settings(int n) {
        Map<String, String> settings = new LinkedHashMap<>(properties);
        settings.putAll(replicaProperties.getOrDefault(n, Map.of()));
        return settings;
    }

    public List<ReplicaProcess> replicas() {
        synchronized (replicas) {
            return List.copyOf(replicas);
        }
    }

    /** The replica whose node id is {@code nodeId} (as the {@code worker} of a job or in {@code workers}). */
    public ReplicaProcess replica(String nodeId) {
        return replicas().stream().filter(r -> r.nodeId().equals(nodeId)).findFirst()
                .orElseThrow(() -> new AssertionError(nodeId + " is not one of this test's replicas " + replicas()));
    }

    /** Every replica but {@code replica}. */
    public List<ReplicaProcess> others(ReplicaProcess replica) {
        return replicas().stream().filter(r -> r != replica).toList();
    }

    public List<String> nodeIds() {
        return replicas().stream().map(ReplicaProcess::nodeId).toList();
    }

    /** {@code base} made unique to this test run, for queue names; such queues are emptied after the test. */
    public String unique(String base) {
        String name = base + "-" + runId;
        uniqueNames.add(name);
        return name;
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        context.getExecutionException().ifPresent(failure -> {
            StringBuilder out = new StringBuilder();
            for (ReplicaProcess replica : replicas()) {
                out.append("\n===== ").append(replica).append(": last ").append(TAIL_LINES).append(" lines of ")
                        .append(replica.log().toAbsolutePath()).append(" =====\n");
                replica.logTail(TAIL_LINES).forEach(line -> out.append(line).append('\n'));
            }
            System.err.println(out);
        });
    }

    @Override
    public void afterEach(ExtensionContext context) {
        replicas().forEach(ReplicaProcess::close);
        replicas.clear();
        if (!uniqueNames.isEmpty()) {
            List<String> names = List.copyOf(uniqueNames);
            jdbc().execute("DELETE FROM jobyard.job WHERE queue = ANY(?)", names);
            jdbc().execute("DELETE FROM jobyard.queue WHERE name = ANY(?)", names);
            uniqueNames.clear();
        }
        runId = null;
    }
}
