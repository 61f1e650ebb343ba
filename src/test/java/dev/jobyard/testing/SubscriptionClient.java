package dev.jobyard.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiPredicate;
import java.util.function.Supplier;

import io.vertx.core.json.JsonObject;

/** A real WebSocket client speaking graphql-transport-ws, as Apollo and urql do. */
public final class SubscriptionClient implements AutoCloseable {

    private final WebSocket socket;
    private final LinkedBlockingQueue<JsonObject> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closeCode;
    private final AtomicBoolean reading;
    // While set, data messages are counted and dropped, not kept: a test of volume need not hold them all.
    private volatile boolean discarding;
    private final java.util.concurrent.atomic.AtomicLong discarded = new java.util.concurrent.atomic.AtomicLong();

    private SubscriptionClient(WebSocket socket, CompletableFuture<Integer> closeCode, AtomicBoolean reading) {
        this.socket = socket;
        this.closeCode = closeCode;
        this.reading = reading;
    }

    /** The ws:// address of an http:// GraphQL endpoint. */
    public static URI webSocketOf(URI graphqlHttp) {
        return URI.create(graphqlHttp.toString().replaceFirst("^http", "ws"));
    }

    public static SubscriptionClient connect(URI graphqlWs) throws Exception {
        return connect(graphqlWs, Map.of());
    }

    /** Connects with extra handshake headers (a browser's {@code Origin}) and acknowledges the connection. */
    public static SubscriptionClient connect(URI graphqlWs, Map<String, String> headers) throws Exception {
        SubscriptionClient client = open(graphqlWs, headers, new JsonObject());
        client.acknowledged();
        return client;
    }

    /** Connects with credentials in the connection_init payload, as a browser does, and waits for the ack. */
    public static SubscriptionClient connectWith(URI graphqlWs, JsonObject initPayload) throws Exception {
        SubscriptionClient client = open(graphqlWs, Map.of(), initPayload);
        client.acknowledged();
        return client;
    }

    /** Fails unless the next message is connection_ack. */
    public void acknowledged() throws InterruptedException {
        JsonObject ack = next(Duration.ofSeconds(10));
        if (!"connection_ack".equals(ack.getString("type"))) {
            throw new AssertionError("expected connection_ack, got " + ack);
        }
    }

    /** Opens a socket and sends connection_init with {@code initPayload}, without waiting for the answer. */
    public static SubscriptionClient open(URI graphqlWs, Map<String, String> headers, JsonObject initPayload) throws Exception {
        LinkedBlockingQueue<JsonObject> inbox = new LinkedBlockingQueue<>();
        CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        AtomicBoolean reading = new AtomicBoolean(true);
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("graphql-transport-ws");
        headers.forEach(builder::header);
        WebSocket ws = builder.buildAsync(graphqlWs, new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            inbox.add(new JsonObject(partial.toString()));
                            partial.setLength(0);
                        }
                        if (reading.get()) {
                            webSocket.request(1);
                        }
                        return CompletableFuture.completedFuture(null);
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                        closeCode.complete(statusCode);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket webSocket, Throwable error) {
                        closeCode.completeExceptionally(error);
                    }
                }).get(10, TimeUnit.SECONDS);
        SubscriptionClient client = new SubscriptionClient(ws, closeCode, reading);
        client.messagesFrom(inbox);
        client.send(new JsonObject().put("type", "connection_init").put("payload", initPayload));
        return client;
    }

    /** The HTTP status with which the server refused the upgrade, or 101 if it accepted it. */
    public static int handshakeStatus(URI graphqlWs, Map<String, String> headers) throws Exception {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("graphql-transport-ws");
        headers.forEach(builder::header);
        try {
            WebSocket ws = builder.buildAsync(graphqlWs, new WebSocket.Listener() {
            }).get(10, TimeUnit.SECONDS);
            ws.abort();
            return 101;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
    }

    private void messagesFrom(LinkedBlockingQueue<JsonObject> inbox) {
        Thread pump = new Thread(() -> {
            try {
                while (true) {
                    JsonObject message = inbox.take();
                    if (discarding && "next".equals(message.getString("type"))) {
                        discarded.incrementAndGet();
                    } else {
                        messages.add(message);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "subscription-client");
        pump.setDaemon(true);
        pump.start();
    }

    public void subscribe(String id, String query, Map<String, Object> variables) {
        send(new JsonObject().put("id", id).put("type", "subscribe")
                .put("payload", new JsonObject().put("query", query).put("variables", new JsonObject(variables))));
    }

    /** Sends a message as given; false if the socket is closed already. */
    public boolean sendRaw(String text) {
        try {
            socket.sendText(text, true).join();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** From now on data messages are read and counted ({@link #discarded}) but not kept. */
    public void discardData() {
        discarding = true;
    }

    /** How many data messages arrived since {@link #discardData}. */
    public long discarded() {
        return discarded.get();
    }

    /** Stops reading: what the server sends waits in its buffers and the network's, as with a stalled browser tab. */
    public void stopReading() {
        reading.set(false);
    }

    /** Reads again, everything that arrives. */
    public void resumeReading() {
        reading.set(true);
        socket.request(Long.MAX_VALUE);
    }

    /** The code with which the server closed the socket, or null while it is open. */
    public Integer closedWith() {
        return closeCode.isCompletedExceptionally() ? Integer.valueOf(-1) : closeCode.getNow(null);
    }

    /** The code with which the server closed the socket, waiting for it (and reading what comes first). */
    public int closeCode(Duration timeout) throws Exception {
        return closeCode.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The data of the next {@code next} message, skipping pings; fails when none came within {@code timeout}. */
    public JsonObject nextData(Duration timeout) throws InterruptedException {
        // One deadline for the whole wait: the server's keep-alive pings must not extend it forever.
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonObject message = next(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            switch (message.getString("type")) {
                case "next":
                    return message.getJsonObject("payload").getJsonObject("data");
                case "ping":
                    send(new JsonObject().put("type", "pong"));
                    break;
                case "error":
                    throw new AssertionError("subscription error: " + message);
                default:
                    break;
            }
        }
    }

    /** The next message of any type but ping. */
    public JsonObject nextMessage(Duration timeout) throws InterruptedException {
        while (true) {
            JsonObject message = next(timeout);
            if (!"ping".equals(message.getString("type"))) {
                return message;
            }
        }
    }

    /** The next message of any type but ping, or null when none came within {@code timeout}. */
    public JsonObject nextMessageOrNull(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonObject message = messages.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (message == null || !"ping".equals(message.getString("type"))) {
                return message;
            }
        }
    }

    /**
     * Waits until this socket's subscription is live, not for a fixed time: {@code probe} makes something happen
     * that the subscription reports and returns once it is done in the database (returning what names it), and
     * the wait ends when {@code isProbesLast} holds for the data of an event of the latest probe. A probe whose
     * last event does not come within {@code perProbe} (it happened before the subscription reached the server)
     * is followed by another. The messages read meanwhile are consumed: every earlier probe was done before the
     * latest one began, so none of their events arrives after it.
     */
    public <T> void awaitLive(Duration timeout, Duration perProbe, Supplier<T> probe, BiPredicate<T, JsonObject> isProbesLast) {
        Await.until(timeout, () -> {
            T made = probe.get();
            long deadline = System.nanoTime() + perProbe.toNanos();
            try {
                while (System.nanoTime() < deadline) {
                    JsonObject message = nextMessageOrNull(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                    if (message == null) {
                        return false;
                    }
                    JsonObject payload = message.getJsonObject("payload");
                    if ("next".equals(message.getString("type")) && payload != null && payload.getJsonObject("data") != null
                            && isProbesLast.test(made, payload.getJsonObject("data"))) {
                        return true;
                    }
                }
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }, live -> live, "the subscription to report a probe");
    }

    /**
     * Waits until a {@code jobEvents} subscription of {@code queue} (selecting {@code jobId} and {@code status})
     * is live: noop probe jobs run in the queue until one's COMPLETED event arrives. The tests' own events come after.
     */
    public void awaitLiveJobEvents(String queue) {
        awaitLive(Duration.ofSeconds(60), Duration.ofSeconds(5), () -> {
            String id = Jobs.create(Map.of("kind", "noop", "queue", queue));
            Jobs.awaitStatus(id, "COMPLETED");
            return id;
        }, (id, data) -> id.equals(data.getJsonObject("jobEvents").getString("jobId"))
                && "COMPLETED".equals(data.getJsonObject("jobEvents").getString("status")));
    }

    /**
     * Waits until a {@code scheduleEvents} subscription of every schedule (selecting {@code scheduleId} and
     * {@code type}) is live: a probe schedule is created and deleted until its DELETED event arrives.
     */
    public void awaitLiveScheduleEvents() {
        awaitLive(Duration.ofSeconds(60), Duration.ofSeconds(5), () -> {
            String probe = Schedules.create(Map.of()).getString("id");
            Schedules.delete(probe);
            return probe;
        }, (probe, data) -> probe.equals(data.getJsonObject("scheduleEvents").getString("scheduleId"))
                && "DELETED".equals(data.getJsonObject("scheduleEvents").getString("type")));
    }

    /**
     * Waits until a {@code flowRunEvents} subscription of flow {@code slug} (selecting {@code runId} and {@code type}) is
     * live: runs of the flow start and complete until one's RUN_COMPLETED arrives.
     */
    public void awaitLiveFlowRunEvents(String slug) {
        awaitLive(Duration.ofSeconds(60), Duration.ofSeconds(5), () -> {
            String run = Flows.start(slug, Map.of()).getString("id");
            Flows.awaitStatus(run, "COMPLETED");
            return run;
        }, (run, data) -> run.equals(data.getJsonObject("flowRunEvents").getString("runId"))
                && "RUN_COMPLETED".equals(data.getJsonObject("flowRunEvents").getString("type")));
    }

    /** Collects data messages until {@code count} arrived. */
    public List<JsonObject> take(int count, Duration timeout) throws InterruptedException {
        List<JsonObject> data = new ArrayList<>();
        while (data.size() < count) {
            data.add(nextData(timeout));
        }
        return data;
    }

    private JsonObject next(Duration timeout) throws InterruptedException {
        JsonObject message = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (message == null) {
            throw new AssertionError("no message within " + timeout);
        }
        return message;
    }

    private void send(JsonObject message) {
        socket.sendText(message.encode(), true).join();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").exceptionally(e -> null);
        }
    }
}
