package dev.jobyard.testing;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * One Jobyard replica as a real OS process: the packaged application ({@code target/quarkus-app}),
 * started with {@code java -jar}, its output in a log file. Black-box: the only ways in are HTTP,
 * signals and the database. Killing it is a real {@code kill -9}; stopping it a real SIGTERM; freezing it a
 * real SIGSTOP.
 */
public final class ReplicaProcess implements AutoCloseable {

    static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    // A test JVM that dies (failsafe timeout, Ctrl-C) must not leave replicas running on the shared database.
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "replica-reaper"));
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    // A frozen or dying replica must fail the call, not hang the test.
    private static final RestAssuredConfig REST = RestAssuredConfig.config().httpClient(HttpClientConfig
            .httpClientConfig().setParam("http.connection.timeout", 2_000).setParam("http.socket.timeout", 30_000));

    private final String nodeId;
    private final int port;
    private final Path log;
    private final Process process;
    // Where this process's output starts in the log, which an earlier process of the same node id may have begun.
    private final long logStart;

    private ReplicaProcess(String nodeId, int port, Path log, long logStart, Process process) {
        this.nodeId = nodeId;
        this.port = port;
        this.log = log;
        this.logStart = logStart;
        this.process = process;
    }

    /**
     * Launches a replica named {@code nodeId} on a free port against the test database; {@code properties}
     * become {@code -D} options and override the datasource defaults. Returns at once: see {@link #waitReady}.
     */
    public static ReplicaProcess start(String nodeId, Map<String, String> properties, Path logDir) {
        return start(nodeId, properties, logDir, TestDatabase.target());
    }

    /** The same against the database {@code db} (a {@link DisposablePostgres}, say) instead of the test database. */
    public static ReplicaProcess start(String nodeId, Map<String, String> properties, Path logDir,
            TestDatabase.Target db) {
        Map<String, String> settings = new java.util.LinkedHashMap<>(db.quarkusConfig());
        settings.putAll(properties);
        return launch(nodeId, TEST_JVM_OPTIONS, settings, logDir);
    }

    // Several JVMs boot at once on small CI machines: C1 only and the serial collector halve start-up
    // there, and the tests measure behaviour, not throughput.
    public static final List<String> TEST_JVM_OPTIONS = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC");

    /**
     * Launches a replica with exactly the given JVM options and settings, the datasource included (the test
     * database is not consulted): the benchmark starts the service this way, with its own database and a JVM
     * tuned for throughput. Host, port and node id are added here. Returns at once: see {@link #waitReady}.
     */
    public static ReplicaProcess launch(String nodeId, List<String> jvmOptions, Map<String, String> properties,
            Path logDir) {
        return launch(nodeId, List.of(), Map.of(), null, JAR, jvmOptions, properties, logDir);
    }

    /**
     * Launches a replica as the unprivileged OS user {@code user} (through util-linux's {@code setpriv}, so the test
     * JVM must be root), the way the container image runs the service as uid 185, with {@code environment} added to
     * its environment. The packaged application is copied to a directory that user can read, with a temporary
     * directory of its own.
     */
    public static ReplicaProcess launchAsUser(String user, String nodeId, Map<String, String> environment,
            Map<String, String> properties, Path logDir) {
        Path home = readableCopyOfTheApplication();
        try {
            Path tmp = Files.createTempDirectory(home, "tmp-");
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
            List<String> jvm = new ArrayList<>(TEST_JVM_OPTIONS);
            jvm.add("-Djava.io.tmpdir=" + tmp);
            Map<String, String> settings = new java.util.LinkedHashMap<>(TestDatabase.target().quarkusConfig());
            settings.putAll(properties);
            // Its working directory is the copy too: the test's own may be one the user cannot enter.
            return launch(nodeId, List.of("setpriv", "--reuid=" + id("-u", user), "--regid=" + id("-g", user),
                    "--clear-groups", "--"),
                    environment, home, home.resolve("quarkus-run.jar"), jvm, settings, logDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code id OPTION USER}: a user's uid or primary gid (Debian's nobody is in group nogroup). */
    public static String id(String option, String user) {
        try {
            Process id = new ProcessBuilder("id", option, user).start();
            String out = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (id.waitFor() != 0 || out.isEmpty()) {
                throw new IllegalStateException("no such user on this machine: " + user);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path readableCopy;

    // target/ may sit under a directory only root can enter (/root, say): the copy lives in the system's temp dir.
    private static synchronized Path readableCopyOfTheApplication() {
        if (readableCopy == null) {
            try {
                Path copy = Files.createTempDirectory("jobyard-app-");
                Path app = JAR.toAbsolutePath().getParent();
                try (var files = Files.walk(app)) {
                    for (Path from : (Iterable<Path>) files::iterator) {
                        Path to = copy.resolve(app.relativize(from).toString());
                        if (Files.isDirectory(from)) {
                            Files.createDirectories(to);
                        } else {
                            Files.copy(from, to);
                        }
                    }
                }
                try (var files = Files.walk(copy)) {
                    for (Path path : (Iterable<Path>) files::iterator) {
                        Files.setPosixFilePermissions(path, java.nio.file.attribute.PosixFilePermissions
                                .fromString(Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
                    }
                }
                readableCopy = copy;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(copy), "replica-copy-cleaner"));
            } catch (IOException e) {
                throw new UncheckedIOException("could not copy the packaged application for another user", e);
            }
        }
        return readableCopy;
    }

    private static void deleteTree(Path root) {
        try (var files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // The JVM is exiting; a copy left in the temp directory is only disk space.
        }
    }

    private static ReplicaProcess launch(String nodeId, List<String> prefix, Map<String, String> environment, Path workDir,
            Path jar, List<String> jvmOptions, Map<String, String> properties, Path logDir) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run the integration tests with "
                    + "./mvnw verify, which packages the application before failsafe starts");
        }
        int port = freePort();
        List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        Map<String, String> settings = new java.util.LinkedHashMap<>(properties);
        settings.put("quarkus.http.host", "127.0.0.1");
        settings.put("quarkus.http.port", String.valueOf(port));
        settings.put("jobyard.node-id", nodeId);
        // A packaged replica runs in the prod profile, which refuses to start until access control is decided.
        settings.putIfAbsent("jobyard.auth.enabled", "false");
        settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar.toString());
        try {
            Files.createDirectories(logDir);
            Path log = logDir.resolve(nodeId + ".log");
            long logStart = Files.exists(log) ? Files.size(log) : 0;
            // Appended: a replica restarted under its node id (a restarted container) keeps one log.
            Files.writeString(log, String.join(" ", command) + System.lineSeparator(), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            if (workDir != null) {
                builder.directory(workDir.toFile());
            }
            Process process = builder.start();
            LIVE.add(process);
            return new ReplicaProcess(nodeId, port, log, logStart, process);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start replica " + nodeId, e);
        }
    }

    /** What a one-shot command of the packaged application did: its exit code and its two outputs. */
    public record CommandRun(int exitCode, String out, String err) {
    }

    /**
     * Runs the packaged application as a command ({@code java -jar quarkus-run.jar ARGS}) against the test
     * database, with {@code properties} as {@code -D} options, and waits for it to exit (killing it after
     * {@code timeout}). Its outputs go to files under {@code logDir}, so a chatty command cannot block on a pipe.
     */
    public static CommandRun runCommand(Path logDir, Duration timeout, Map<String, String> properties, String... args) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run with ./mvnw verify");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(TEST_JVM_OPTIONS);
        Map<String, String> settings = new java.util.LinkedHashMap<>(TestDatabase.target().quarkusConfig());
        settings.put("jobyard.auth.enabled", "false");
        settings.putAll(properties);
        settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(JAR.toString());
        command.addAll(List.of(args));
        try {
            Files.createDirectories(logDir);
            String base = "command-" + System.nanoTime();
            Path out = logDir.resolve(base + ".out");
            Path err = logDir.resolve(base + ".err");
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            LIVE.add(process);
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor();
                    throw new AssertionError("'" + String.join(" ", args) + "' did not exit within " + timeout
                            + "; its output: " + Files.readString(out) + Files.readString(err));
                }
            } finally {
                LIVE.remove(process);
            }
            return new CommandRun(process.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    /** The operating-system process id, e.g. to read its memory from {@code /proc/<pid>/status}. */
    public long pid() {
        return process.pid();
    }

    public String nodeId() {
        return nodeId;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for {@code /q/health/ready} to answer 200; fails at once if the process exits meanwhile. */
    public ReplicaProcess waitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int lastStatus = -1;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("replica " + nodeId + " exited with " + process.exitValue()
                        + " before it was ready:\n" + String.join("\n", logTail(40)));
            }
            lastStatus = readinessStatus();
            if (lastStatus == 200) {
                return this;
            }
            pause(100);
        }
        throw new AssertionError("replica " + nodeId + " not ready after " + timeout + " (last status " + lastStatus
                + "):\n" + String.join("\n", logTail(40)));
    }

    /**
     * The body of {@code /q/health/ready}, up or down (it answers without the database): each check's
     * {@code status} and {@code data}, e.g. the worker pool's {@code runningJobs}.
     */
    public JsonPath readiness() {
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(10)).GET().build();
        try {
            return new JsonPath(HTTP.send(ready, HttpResponse.BodyHandlers.ofString()).body());
        } catch (IOException e) {
            throw new UncheckedIOException("replica " + nodeId + " did not answer its readiness check", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Whether {@code /q/health/ready} answers 200 now (one probe, as Kubernetes sends them). */
    public boolean isReady() {
        return process.isAlive() && readinessStatus() == 200;
    }

    /** The status of one readiness probe, or -1 when nothing answered. */
    private int readinessStatus() {
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        try {
            return HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1; // not listening (yet), or too busy to answer in time
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The jobs this replica runs now, as its worker pool's readiness check reports them. */
    public int runningJobs() {
        return readiness().getInt("checks.find { it.name == 'worker-pool' }.data.runningJobs");
    }

    /** The process's resident set size ({@code VmRSS} of {@code /proc/<pid>/status}), in kB. */
    public long rssKb() {
        try {
            return Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status")).stream()
                    .filter(line -> line.startsWith("VmRSS:"))
                    .mapToLong(line -> Long.parseLong(line.replaceAll("[^0-9]", ""))).findFirst()
                    .orElseThrow(() -> new AssertionError("no VmRSS for " + this));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the memory of " + this, e);
        }
    }

    /** Runs a GraphQL document and returns its {@code data}; GraphQL errors fail the test. */
    public JsonPath graphql(String query, Map<String, Object> variables) {
        JsonPath result = post(query, variables);
        Object errors = result.get("errors");
        if (errors != null) {
            throw new AssertionError("GraphQL errors from " + nodeId + ": " + errors + " for " + query);
        }
        return result.setRootPath("data");
    }

    /** Posts a GraphQL document and returns the whole answer, {@code errors} included; fails unless HTTP 200. */
    public JsonPath post(String query, Map<String, Object> variables) {
        return given().config(REST).baseUri("http://127.0.0.1").port(port).contentType(ContentType.JSON)
                .body(Map.of("query", query, "variables", variables))
                .when().post("/graphql")
                .then().statusCode(200)
                .extract().jsonPath();
    }

    public JsonPath graphql(String query) {
        return graphql(query, Map.of());
    }

    /** SIGKILL: the replica gets no chance to release anything. Returns once the process is gone. */
    public void kill9() {
        process.destroyForcibly();
        int exit = waitExit(Duration.ofSeconds(10));
        if (exit != 137) {
            throw new AssertionError("replica " + nodeId + " should have died of SIGKILL (137), exited with " + exit);
        }
    }

    /** SIGTERM, as Kubernetes sends before removing a pod; returns at once. */
    public void sigterm() {
        process.destroy();
    }

    /**
     * SIGSTOP: the process freezes where it is, as in a long GC pause or a stalled VM, holding its connections
     * and whatever it believes; {@link #sigcont} thaws it. Returns once the signal is sent.
     */
    public void sigstop() {
        signal("STOP");
    }

    /** SIGCONT: a process frozen by {@link #sigstop} runs on. */
    public void sigcont() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("could not send SIG" + name + " to replica " + nodeId);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The sum of the samples of one Prometheus metric at {@code /q/metrics}, e.g. {@code jobyard_leader}; 0 if absent. */
    public double metric(String name) {
        String body = given().config(REST).baseUri("http://127.0.0.1").port(port).when().get("/q/metrics")
                .then().statusCode(200).extract().asString();
        double sum = 0;
        for (String line : body.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** Waits for the process to end and returns its exit code; fails if it is still running after {@code timeout}. */
    public int waitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("replica " + nodeId + " still running " + timeout + " later:\n"
                        + String.join("\n", logTail(40)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        LIVE.remove(process);
        return process.exitValue();
    }

    /** The last {@code lines} lines of the replica's output. */
    public List<String> logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } catch (IOException e) {
            return List.of("(log " + log + " unreadable: " + e.getMessage() + ")");
        }
    }

    /** Lines of this process's output (not of an earlier process of its node id) that contain {@code text}. */
    public List<String> logLinesContaining(String text) {
        try {
            byte[] all = Files.readAllBytes(log);
            int from = (int) Math.min(logStart, all.length);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8).lines()
                    .filter(line -> line.contains(text)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the process if it still runs: SIGKILL, since a test that is over has nothing left to observe. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            // A test interrupted by its @Timeout arrives here interrupted; reap the process all the same.
            boolean interrupted = Thread.interrupted();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (!process.isAlive()) {
            LIVE.remove(process);
        }
    }

    @Override
    public String toString() {
        return nodeId + "@" + port + (process.isAlive() ? "" : " (exited)");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
