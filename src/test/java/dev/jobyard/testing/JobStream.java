package dev.jobyard.testing;

import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import io.restassured.path.json.JsonPath;

/**
 * A client creating {@code log} jobs at a steady pace, each batch through the next replica that serves, as a load
 * balancer would send them. Every job has an idempotency key: a call that fails (the replica is going away, the
 * database is down) is repeated with the same keys, through the next replica, until it succeeds or
 * {@link Builder#retryFor} has passed. So every job the stream counts was created exactly once, and the errors the
 * client saw on the way are kept ({@link #errors()}).
 *
 * <pre>
 * try (JobStream stream = JobStream.into(queue).through(replicas).batch(10).every(Duration.ofMillis(100)).start()) {
 *     ...
 *     List&lt;Long&gt; ids = stream.stop();
 * }
 * </pre>
 */
public final class JobStream implements AutoCloseable {

    private static final String CREATE = "mutation($in: [JobInput!]!) { createJobs(inputs: $in) { id } }";

    private final Builder settings;
    private final List<ReplicaProcess> serving;
    private final List<Long> created = new CopyOnWriteArrayList<>();
    /** The codes docs/graphql.md lists; a client must never see another. */
    public static final java.util.Set<String> DOCUMENTED_CODES = java.util.Set.of("BAD_USER_INPUT", "NOT_FOUND",
            "CONFLICT", "FORBIDDEN", "UNAVAILABLE", "INTERNAL");
    private final Map<String, Integer> errors = new ConcurrentHashMap<>();
    private final Map<String, Integer> undocumented = new ConcurrentHashMap<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile String doing = "starting";
    private volatile long batchEvery;
    private final long started = System.nanoTime();
    private volatile long stopped;

    private JobStream(Builder settings) {
        this.settings = settings;
        this.serving = new CopyOnWriteArrayList<>(settings.serving);
        this.batchEvery = settings.every.toNanos();
        this.thread = new Thread(this::run, "job-stream-" + settings.queue);
        thread.start();
    }

    /** A stream of {@code log} jobs into {@code queue}: one job every 20 ms unless set otherwise. */
    public static Builder into(String queue) {
        return new Builder(queue);
    }

    public static final class Builder {
        private final String queue;
        private final List<ReplicaProcess> serving = new ArrayList<>();
        private final Map<String, Object> fields = new LinkedHashMap<>();
        private int batch = 1;
        private Duration every = Duration.ofMillis(20);
        private Duration retryFor = Duration.ofSeconds(60);

        private Builder(String queue) {
            this.queue = queue;
        }

        /** The replicas the stream sends to, in turn. */
        public Builder through(List<ReplicaProcess> replicas) {
            serving.addAll(replicas);
            return this;
        }

        /** Jobs per {@code createJobs} call; default 1. */
        public Builder batch(int jobs) {
            this.batch = jobs;
            return this;
        }

        /** How often a batch starts (a batch that took longer is followed at once); default 20 ms. */
        public Builder every(Duration interval) {
            this.every = interval;
            return this;
        }

        /** How long one batch is retried before the stream gives up and fails; default 60 s. */
        public Builder retryFor(Duration window) {
            this.retryFor = window;
            return this;
        }

        /** A field every job's input carries, e.g. {@code maxAttempts}. */
        public Builder with(String field, Object value) {
            fields.put(field, value);
            return this;
        }

        public JobStream start() {
            if (serving.isEmpty()) {
                throw new IllegalStateException("a job stream needs a replica to send to");
            }
            return new JobStream(this);
        }
    }

    /** Sends new jobs to {@code replica} from now on. */
    public void serveFrom(ReplicaProcess replica) {
        serving.add(replica);
    }

    /** Sends no more jobs to {@code replica}, as an endpoint leaves a Service before its pod gets SIGTERM. */
    public void stopServingFrom(ReplicaProcess replica) {
        serving.remove(replica);
    }

    /** Replaces {@code old} by {@code replacement} in the rotation (a replica restarted as a new process). */
    public void replace(ReplicaProcess old, ReplicaProcess replacement) {
        serving.add(replacement);
        serving.remove(old);
    }

    /** Changes the pace from the next batch on: a batch of the configured size every {@code interval}. */
    public void every(Duration interval) {
        batchEvery = interval.toNanos();
    }

    /**
     * How many jobs the stream has created so far, and what it is doing now (shown when a wait for it times out);
     * fails at once if the stream has given up.
     */
    public Progress progress() {
        if (failure.get() != null) {
            throw new AssertionError("the job stream failed after " + created.size() + " jobs", failure.get());
        }
        return new Progress(created.size(), doing);
    }

    public record Progress(int created, String doing) {
        @Override
        public String toString() {
            return created + " jobs created, now " + doing;
        }
    }

    /** What the client was answered when a call failed, by message, with how often. */
    /** The GraphQL errors whose {@code extensions.code} the API does not document (docs/graphql.md#errors). */
    public Map<String, Integer> undocumentedErrors() {
        return Map.copyOf(undocumented);
    }

    public Map<String, Integer> errors() {
        return Map.copyOf(errors);
    }

    /** Jobs created per second, from the start to {@link #stop()} (or to now). */
    public double ratePerSecond() {
        long end = stopped == 0 ? System.nanoTime() : stopped;
        return created.size() / Math.max(0.001, (end - started) / 1e9);
    }

    /** Stops the stream and returns the ids of every job it created; fails if a job could not be created. */
    public List<Long> stop() {
        running = false;
        try {
            thread.join(settings.retryFor.toMillis() + 30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        if (stopped == 0) {
            stopped = System.nanoTime();
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
            long next = System.nanoTime();
            while (running) {
                List<Map<String, Object>> inputs = new ArrayList<>();
                for (int i = 0; i < settings.batch; i++) {
                    Map<String, Object> input = new LinkedHashMap<>(settings.fields);
                    input.put("queue", settings.queue);
                    input.put("kind", "log");
                    input.put("idempotencyKey", UUID.randomUUID().toString());
                    input.put("payload", Map.of("message", "job " + (n + i)));
                    inputs.add(input);
                }
                created.addAll(create(inputs, n));
                n += inputs.size();
                next += batchEvery;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    doing = "pausing after job " + (n - 1) + " since " + LocalTime.now();
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } else {
                    next = System.nanoTime(); // behind: carry on at once, without a burst to catch up
                }
            }
        } catch (Throwable e) {
            failure.set(e);
        }
    }

    private List<Long> create(List<Map<String, Object>> inputs, long n) throws InterruptedException {
        long deadline = System.nanoTime() + settings.retryFor.toNanos();
        AssertionError failed = new AssertionError("creating jobs " + n + ".." + (n + inputs.size() - 1)
                + " failed for " + settings.retryFor);
        for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
            List<ReplicaProcess> now = List.copyOf(serving);
            ReplicaProcess replica = now.get((int) ((n / settings.batch + attempt) % now.size()));
            doing = "creating jobs from " + n + " (attempt " + (attempt + 1) + ") through " + replica + " since "
                    + LocalTime.now();
            String error;
            try {
                JsonPath answer = replica.post(CREATE, Map.of("in", inputs));
                List<Map<String, Object>> graphQLErrors = answer.getList("errors");
                if (graphQLErrors == null || graphQLErrors.isEmpty()) {
                    return answer.getList("data.createJobs.id", String.class).stream().map(Long::parseLong).toList();
                }
                Map<String, Object> first = graphQLErrors.get(0);
                Object extensions = first.get("extensions");
                Object code = extensions instanceof Map<?, ?> map ? map.get("code") : null;
                error = code + ": " + first.get("message");
                if (!DOCUMENTED_CODES.contains(String.valueOf(code))) {
                    undocumented.merge(error, 1, Integer::sum);
                }
            } catch (Exception | AssertionError e) {
                // Exception, not RuntimeException: REST Assured rethrows the HTTP client's checked exceptions
                // undeclared, e.g. NoHttpResponseException when the replica closes the connection of a request
                // in flight as it stops. The request may have been done: the retry's idempotency keys cover that.
                error = e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).lines().findFirst()
                        .orElse("");
            }
            errors.merge(error.length() > 200 ? error.substring(0, 200) + "…" : error, 1, Integer::sum);
            if (failed.getSuppressed().length < 20) {
                failed.addSuppressed(new AssertionError("attempt " + (attempt + 1) + " through " + replica + " at "
                        + LocalTime.now() + ": " + error));
            }
            Thread.sleep(100);
        }
        throw failed;
    }
}
