package dev.jobyard.deploy;

import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import dev.jobyard.testing.ReplicaProcess;

/**
 * A client creating {@code log} jobs one after another, each through the next replica that serves, as a load
 * balancer would send them. A call that fails (the replica is going away) is repeated on another replica with the same
 * idempotency key, so every job the stream counts was created exactly once.
 */
final class SteadyJobStream implements AutoCloseable {

    private static final String CREATE = "mutation($in: JobInput!) { createJob(input: $in) { id } }";
    private static final int ATTEMPTS = 20;

    private final String queue;
    private final long pauseMillis;
    private final List<ReplicaProcess> serving;
    private final List<Long> created = new CopyOnWriteArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile String doing = "starting";

    SteadyJobStream(String queue, long pauseMillis, List<ReplicaProcess> serving) {
        this.queue = queue;
        this.pauseMillis = pauseMillis;
        this.serving = new CopyOnWriteArrayList<>(serving);
        this.thread = new Thread(this::run, "steady-job-stream");
        thread.start();
    }

    /** Sends new jobs to {@code replica} from now on. */
    void serveFrom(ReplicaProcess replica) {
        serving.add(replica);
    }

    /** Sends no more jobs to {@code replica}, as an endpoint leaves a Service before its pod gets SIGTERM. */
    void stopServingFrom(ReplicaProcess replica) {
        serving.remove(replica);
    }

    /**
     * How many jobs the stream has created so far, and what it is doing now (shown when a wait for it times out);
     * fails at once if the stream has given up.
     */
    Progress progress() {
        if (failure.get() != null) {
            throw new AssertionError("the job stream failed after " + created.size() + " jobs", failure.get());
        }
        return new Progress(created.size(), doing);
    }

    record Progress(int created, String doing) {
        @Override
        public String toString() {
            return created + " jobs created, now " + doing;
        }
    }

    /** Stops the stream and returns the ids of every job it created; fails if a job could not be created. */
    List<Long> stop() {
        running = false;
        try {
            thread.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        if (failure.get() != null) {
            throw new AssertionError("the job stream failed", failure.get());
        }
        return new ArrayList<>(created);
    }

    @Override
    public void close() {
        running = false;
    }

    private void run() {
        long n = 0;
        try {
            while (running) {
                created.add(create(Map.of("queue", queue, "kind", "log", "idempotencyKey", UUID.randomUUID().toString(),
                        "payload", Map.of("message", "job " + n)), n));
                doing = "pausing after job " + n++ + " since " + LocalTime.now();
                Thread.sleep(pauseMillis);
            }
        } catch (Throwable e) {
            failure.set(e);
        }
    }

    private long create(Map<String, Object> input, long n) throws InterruptedException {
        AssertionError failed = new AssertionError("creating " + input + " failed " + ATTEMPTS + " times");
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            List<ReplicaProcess> now = List.copyOf(serving);
            ReplicaProcess replica = now.get((int) ((n + attempt) % now.size()));
            doing = "creating job " + n + " (attempt " + (attempt + 1) + ") through " + replica + " since "
                    + LocalTime.now();
            try {
                return Long.parseLong(replica.graphql(CREATE, Map.of("in", input)).getString("createJob.id"));
            } catch (Exception | AssertionError e) {
                // Exception, not RuntimeException: REST Assured rethrows the HTTP client's checked exceptions
                // undeclared, e.g. NoHttpResponseException when the replica closes the connection of a request
                // in flight as it stops. The request may have been done: the retry's idempotency key covers that.
                failed.addSuppressed(new AssertionError("attempt " + (attempt + 1) + " through " + replica + " at "
                        + LocalTime.now(), e));
                Thread.sleep(100);
            }
        }
        throw failed;
    }
}
