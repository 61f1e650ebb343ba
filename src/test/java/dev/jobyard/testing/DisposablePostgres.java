package dev.jobyard.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A PostgreSQL cluster of a test's own, made with {@code initdb} and run with {@code pg_ctl}, that the test may
 * stop, start and harass: fault-injection tests cannot do that to the shared test database. Register it as a
 * static extension; it is created before the class's tests and stopped and deleted after them:
 *
 * <pre>
 * &#64;RegisterExtension
 * static final DisposablePostgres PG = DisposablePostgres.named("restart");
 * &#64;RegisterExtension
 * final JobyardCluster cluster = JobyardCluster.builder("restart").database(PG::target).build();
 * </pre>
 *
 * The binaries are PostgreSQL's own ({@code JOBYARD_PG_BIN}, else the newest {@code /usr/lib/postgresql/<v>/bin},
 * as Debian installs them, else {@code pg_ctl} on the {@code PATH}). As root they run as the {@code postgres} OS
 * user ({@code runuser}), since PostgreSQL refuses to run as root. The data lives in
 * {@code target/disposable-pg/<name>-<id>} (in the temp directory if the {@code postgres} user cannot write
 * there), the server listens on 127.0.0.1 on a free port, trust authentication,
 * database {@code jobyard}. Sessions the harness opens carry {@link Jdbc#APPLICATION_NAME}, so that
 * {@link #terminateServiceBackends()} spares them.
 */
public final class DisposablePostgres implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    public static final String DATABASE = "jobyard";
    private static final Duration PG_CTL_TIMEOUT = Duration.ofSeconds(60);
    private static final Map<DisposablePostgres, Boolean> LIVE = new ConcurrentHashMap<>();
    static {
        // An aborted test JVM must not leave a server running on the machine.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.keySet().forEach(DisposablePostgres::stopQuietly),
                "disposable-pg-reaper"));
    }

    private final String name;
    private final int maxConnections;
    private Path dir;
    private int port;
    private Path bin;

    private DisposablePostgres(String name, int maxConnections) {
        this.name = name;
        this.maxConnections = maxConnections;
    }

    /** A cluster whose directory and server are named after {@code name} (which says whose it is). */
    public static DisposablePostgres named(String name) {
        return new DisposablePostgres(name, 60);
    }

    /** The same with {@code max_connections} set to {@code count} (60 unless set). */
    public DisposablePostgres maxConnections(int count) {
        return new DisposablePostgres(name, count);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        create();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** initdb, start, and create the database {@value #DATABASE}. */
    public synchronized DisposablePostgres create() {
        if (dir != null) {
            return this;
        }
        bin = binaries();
        port = freePort();
        String id = name + "-" + UUID.randomUUID().toString().substring(0, 6);
        dir = prepare(Path.of("target", "disposable-pg", id).toAbsolutePath());
        if (asRoot() && !postgresCanWrite(dir)) {
            // A checkout under a directory that postgres cannot enter (/root, say): use the shared temp directory.
            deleteTree(dir);
            dir = prepare(Path.of(System.getProperty("java.io.tmpdir"), "jobyard-disposable-pg", id));
        }
        run("initdb", "-D", data().toString(), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync",
                "--locale=C");
        LIVE.put(this, true);
        start();
        jdbcOn("postgres").execute("CREATE DATABASE " + DATABASE);
        return this;
    }

    private static Path prepare(Path dir) {
        try {
            Files.createDirectories(dir);
            if (asRoot()) {
                // PostgreSQL runs as postgres and must own its data directory.
                UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName("postgres");
                Files.setOwner(dir, postgres);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare " + dir, e);
        }
    }

    private static boolean postgresCanWrite(Path dir) {
        try {
            Process test = new ProcessBuilder("runuser", "-u", "postgres", "--", "test", "-w", dir.toString())
                    .redirectErrorStream(true).start();
            test.getInputStream().readAllBytes();
            return test.waitFor(10, TimeUnit.SECONDS) && test.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Left under target/, which the next clean removes.
        }
    }

    /** Starts the server (after {@link #stop()}); returns once it accepts connections. */
    public void start() {
        String options = String.join(" ", "-p", String.valueOf(port), "-c", "listen_addresses=127.0.0.1",
                // TCP only: a socket path under a deep checkout would pass the 107-byte limit of Unix sockets.
                "-c", "unix_socket_directories=''", "-c", "max_connections=" + maxConnections,
                "-c", "shared_buffers=32MB", "-c", "fsync=off", "-c", "full_page_writes=off",
                // Tests compress hours into minutes: autovacuum wakes every 5 s instead of every minute.
                "-c", "autovacuum_naptime=5s",
                // Warnings and worse only: the faults alone fill the log.
                "-c", "log_connections=off", "-c", "log_min_messages=warning");
        run("pg_ctl", "-D", data().toString(), "-l", dir.resolve("postgres.log").toString(), "-o", options, "-w",
                "-t", String.valueOf(PG_CTL_TIMEOUT.toSeconds()), "start");
    }

    /** Stops the server the way an operator restarting it would ({@code pg_ctl stop -m fast}): every session ends. */
    public void stop() {
        run("pg_ctl", "-D", data().toString(), "-m", "fast", "-w", "-t", String.valueOf(PG_CTL_TIMEOUT.toSeconds()),
                "stop");
    }

    /** Stops the server, leaves it down for {@code down}, and starts it again. */
    public void restart(Duration down) {
        stop();
        pause(down);
        start();
    }

    /** Where the replicas and {@link Jdbc#on} find the database. */
    public TestDatabase.Target target() {
        if (dir == null) {
            throw new IllegalStateException("the disposable PostgreSQL " + name + " has not been created");
        }
        return new TestDatabase.Target("127.0.0.1", port, DATABASE, "postgres", "");
    }

    public Jdbc jdbc() {
        return Jdbc.on(target());
    }

    public int port() {
        return port;
    }

    public int maxConnections() {
        return maxConnections;
    }

    /** The server's log, for a failing test's report. */
    public Path log() {
        return dir.resolve("postgres.log");
    }

    /**
     * {@code pg_terminate_backend} of every client session but the harness's own: the service's pool, listener
     * and Flyway connections. Returns how many it ended.
     */
    public int terminateServiceBackends() {
        return ((Number) jdbc().scalar("""
                SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity
                 WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
                   AND application_name IS DISTINCT FROM ?""", Jdbc.APPLICATION_NAME)).intValue();
    }

    /** Client sessions of the service (every client backend that is not the harness's). */
    public int serviceConnections() {
        return ((Number) jdbc().scalar("""
                SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'
                   AND application_name IS DISTINCT FROM ?""", Jdbc.APPLICATION_NAME)).intValue();
    }

    /** Connections a non-superuser could still open now. */
    public int freeConnections() {
        return ((Number) jdbc().scalar("""
                SELECT current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int
                       - (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')""")).intValue();
    }

    /**
     * Opens idle sessions until only {@code leave} connections are free, as other clients of a shared server
     * would (pool exhaustion); they stay open until the returned handle is closed. Sessions the service opens
     * meanwhile count against the same limit.
     */
    public Sessions holdIdleConnectionsLeaving(int leave) {
        Sessions sessions = new Sessions(jdbc());
        try {
            int toOpen = freeConnections() - leave;
            for (int i = 0; i < toOpen; i++) {
                sessions.add(sessions.jdbc.session());
            }
            return sessions;
        } catch (SQLException e) {
            sessions.close();
            throw new IllegalStateException("could not open idle sessions: " + e.getMessage(), e);
        }
    }

    /**
     * A session that opens a REPEATABLE READ transaction, reads the job tables and then sits idle in it: its
     * snapshot holds back the xmin horizon, so vacuum cannot remove any row version that dies after it.
     */
    public Sessions idleInTransaction() {
        Sessions sessions = new Sessions(jdbc());
        try {
            Connection c = sessions.add(sessions.jdbc.session());
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT txid_current(), (SELECT count(*) FROM jobyard.job),"
                        + " (SELECT count(*) FROM jobyard.job_history)");
            }
            return sessions;
        } catch (SQLException e) {
            sessions.close();
            throw new IllegalStateException("could not open the idle transaction: " + e.getMessage(), e);
        }
    }

    /**
     * {@code count} sessions that scan the job tables in REPEATABLE READ transactions, one after another (20 ms
     * apart), until the handle is closed ({@link Sessions#work()} says how many scans they finished).
     */
    public Sessions repeatableReadReaders(int count) {
        Sessions sessions = new Sessions(jdbc());
        for (int i = 0; i < count; i++) {
            sessions.loop("repeatable-read-reader-" + i, c -> {
                c.setAutoCommit(false);
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT count(*), max(attempt) FROM jobyard.job");
                    s.execute("SELECT count(*), max(completed_at) FROM jobyard.job_history");
                    s.execute("SELECT count(*) FROM jobyard.job_log");
                }
                c.commit();
                // A breath between scans: on two cores, readers in a tight loop would measure the CPU, not the database.
                pause(Duration.ofMillis(20));
            });
        }
        return sessions;
    }

    /** {@code pg_total_relation_size} of each table of the service's schema, in bytes, partitions included. */
    public Map<String, Long> tableSizes() {
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (Map<String, Object> row : jdbc().query("""
                SELECT coalesce(p.relname, c.relname) AS name, sum(pg_total_relation_size(c.oid))::bigint AS bytes
                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                  LEFT JOIN pg_inherits i ON i.inhrelid = c.oid LEFT JOIN pg_class p ON p.oid = i.inhparent
                 WHERE n.nspname = 'jobyard' AND c.relkind = 'r'
                 GROUP BY 1 ORDER BY 1""")) {
            sizes.put((String) row.get("name"), (Long) row.get("bytes"));
        }
        return sizes;
    }

    /** Stops the server and deletes its directory. */
    @Override
    public synchronized void close() {
        if (dir == null) {
            return;
        }
        stopQuietly();
        LIVE.remove(this);
        deleteTree(dir);
        dir = null;
    }

    @Override
    public String toString() {
        return "disposable PostgreSQL " + name + " on 127.0.0.1:" + port + " in " + dir;
    }

    /** Sessions the harness holds open, and the threads that use them; closing ends both. */
    public static final class Sessions implements AutoCloseable {
        private final List<Connection> connections = new ArrayList<>();
        private final List<Thread> threads = new ArrayList<>();
        private final AtomicLong work = new AtomicLong();
        private final Map<String, Integer> errors = new ConcurrentHashMap<>();
        private final Jdbc jdbc;
        private volatile boolean open = true;

        private Sessions(Jdbc jdbc) {
            this.jdbc = jdbc;
        }

        synchronized Connection add(Connection connection) {
            connections.add(connection);
            return connection;
        }

        interface Step {
            void run(Connection connection) throws SQLException;
        }

        /** Runs {@code step} in a thread of its own over and over, on one session (a new one after an error). */
        void loop(String threadName, Step step) {
            Thread thread = new Thread(() -> {
                Connection c = null;
                while (open) {
                    try {
                        if (c == null || c.isClosed()) {
                            c = add(jdbc.session());
                        }
                        step.run(c);
                        work.incrementAndGet();
                    } catch (SQLException e) {
                        if (open) {
                            errors.merge(String.valueOf(e.getMessage()), 1, Integer::sum);
                        }
                        closeQuietly(c);
                        c = null;
                        pause(Duration.ofMillis(100));
                    }
                }
                closeQuietly(c);
            }, threadName);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }

        /** How many sessions are open now. */
        public synchronized int count() {
            return (int) connections.stream().filter(c -> {
                try {
                    return !c.isClosed();
                } catch (SQLException e) {
                    return false;
                }
            }).count();
        }

        /** How many times the looping sessions finished their step. */
        public long work() {
            return work.get();
        }

        /** Errors the looping sessions met, by message. */
        public Map<String, Integer> errors() {
            return Map.copyOf(errors);
        }

        @Override
        public void close() {
            open = false;
            for (Thread thread : threads) {
                try {
                    thread.join(TimeUnit.SECONDS.toMillis(10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            synchronized (this) {
                connections.forEach(DisposablePostgres::closeQuietly);
            }
        }
    }

    private Jdbc jdbcOn(String database) {
        return Jdbc.on(new TestDatabase.Target("127.0.0.1", port, database, "postgres", ""));
    }

    private Path data() {
        return dir.resolve("data");
    }

    private void stopQuietly() {
        try {
            if (Files.exists(data().resolve("postmaster.pid"))) {
                run("pg_ctl", "-D", data().toString(), "-m", "immediate", "-w", "stop");
            }
        } catch (RuntimeException e) {
            System.err.println("could not stop " + this + ": " + e.getMessage());
        }
    }

    private void run(String program, String... args) {
        List<String> command = new ArrayList<>();
        if (asRoot()) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(PG_CTL_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish:\n" + output);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue()
                        + ":\n" + output + serverLogTail());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String serverLogTail() {
        try {
            List<String> lines = Files.readAllLines(log());
            return "\nserver log:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Where {@code initdb} and {@code pg_ctl} are; fails with what to install or set when they are nowhere. */
    static Path binaries() {
        String env = System.getenv("JOBYARD_PG_BIN");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                var newest = versions.filter(v -> Files.isExecutable(v.resolve("bin/pg_ctl")))
                        .max(Comparator.comparingInt(v -> versionNumber(v.getFileName().toString())));
                if (newest.isPresent()) {
                    return newest.get().resolve("bin");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (String entry : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(entry);
            if (Files.isExecutable(candidate.resolve("pg_ctl")) && Files.isExecutable(candidate.resolve("initdb"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("The fault-injection tests need PostgreSQL's server binaries (initdb, pg_ctl):"
                + " install PostgreSQL (Debian: apt-get install postgresql) or set JOBYARD_PG_BIN to their directory");
    }

    private static int versionNumber(String name) {
        try {
            return Integer.parseInt(name.replaceAll("\\..*", ""));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // Already gone.
            }
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
