package dev.jobyard.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.vertx.core.json.JsonObject;

/** A real WebSocket client speaking graphql-transport-ws, as Apollo and urql do. */
public final class SubscriptionClient implements AutoCloseable {

    private final WebSocket socket;
    private final LinkedBlockingQueue<JsonObject> messages = new LinkedBlockingQueue<>();

    private SubscriptionClient(WebSocket socket) {
        this.socket = socket;
    }

    public static SubscriptionClient connect(URI graphqlWs) throws Exception {
        LinkedBlockingQueue<JsonObject> inbox = new LinkedBlockingQueue<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .subprotocols("graphql-transport-ws")
                .buildAsync(graphqlWs, new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            inbox.add(new JsonObject(partial.toString()));
                            partial.setLength(0);
                        }
                        webSocket.request(1);
                        return CompletableFuture.completedFuture(null);
                    }
                }).get(10, TimeUnit.SECONDS);
        SubscriptionClient client = new SubscriptionClient(ws);
        client.messagesFrom(inbox);
        client.send(new JsonObject().put("type", "connection_init").put("payload", new JsonObject()));
        JsonObject ack = client.next(Duration.ofSeconds(10));
        if (!"connection_ack".equals(ack.getString("type"))) {
            throw new AssertionError("expected connection_ack, got " + ack);
        }
        return client;
    }

    private void messagesFrom(LinkedBlockingQueue<JsonObject> inbox) {
        Thread pump = new Thread(() -> {
            try {
                while (true) {
                    messages.add(inbox.take());
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
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    }
}
