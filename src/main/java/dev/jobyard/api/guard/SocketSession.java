package dev.jobyard.api.guard;

import java.util.concurrent.atomic.AtomicInteger;

import io.smallrye.graphql.websocket.GraphQLWebSocketSession;
import io.vertx.core.http.ServerWebSocket;

/**
 * One GraphQL WebSocket, with a bounded outbound queue: messages handed to it count until the network has
 * taken them, and a socket with more than {@code jobyard.api.max-queued-messages} waiting is closed with
 * {@link #SLOW_CONSUMER} instead of buffering without end for a client that does not read.
 */
public final class SocketSession implements GraphQLWebSocketSession {

    /** The key under which resolvers find the socket of their subscription in the GraphQL context. */
    public static final String KEY = "jobyard.socket";

    /** Close codes (docs/graphql.md, "Limits"). 4400 is the protocol's own code for a message it cannot take. */
    public static final short BAD_MESSAGE = 4400;
    public static final short TOO_MANY_OPERATIONS = 4413;
    public static final short SLOW_CONSUMER = 4503;
    /** The credentials of the socket expired: connect again with fresh ones. */
    public static final short CREDENTIALS_EXPIRED = 4401;
    /** {@code connection_init} carried no valid credentials (the protocol's code for a refused connection). */
    public static final short CREDENTIALS_REFUSED = 4403;
    /** The API key of an open socket was revoked: the same code, as its credentials are no longer valid. */
    public static final short CREDENTIALS_REVOKED = CREDENTIALS_REFUSED;

    private final ServerWebSocket socket;
    private final int maxQueued;
    private final AtomicInteger unwritten = new AtomicInteger();

    SocketSession(ServerWebSocket socket, int maxQueued) {
        this.socket = socket;
        this.maxQueued = maxQueued;
    }

    @Override
    public void sendMessage(String message) {
        if (socket.isClosed()) {
            return;
        }
        if (unwritten.incrementAndGet() > maxQueued) {
            unwritten.decrementAndGet();
            tooSlow();
            return;
        }
        socket.writeTextMessage(message).onComplete(done -> unwritten.decrementAndGet());
    }

    /** Drops a client that does not keep up with its messages. */
    public void tooSlow() {
        close(SLOW_CONSUMER, "too slow: over jobyard.api.max-queued-messages unsent");
    }

    @Override
    public void close(short statusCode, String reason) {
        if (!socket.isClosed()) {
            // A close frame's reason holds at most 123 bytes.
            socket.close(statusCode, reason.length() > 120 ? reason.substring(0, 120) : reason);
        }
    }

    @Override
    public boolean isClosed() {
        return socket.isClosed();
    }

    @Override
    public String toString() {
        return "{peer=" + socket.remoteAddress() + "}";
    }
}
