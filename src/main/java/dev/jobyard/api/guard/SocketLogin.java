package dev.jobyard.api.guard;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.jobyard.access.ApiKeys;
import dev.jobyard.access.Authenticator;
import dev.jobyard.access.Caller;
import dev.jobyard.common.UnauthenticatedException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Authentication of one GraphQL socket. Browsers cannot set headers on a WebSocket, so the credentials come in
 * the {@code connection_init} payload ({@code {"Authorization": "Bearer …"}} or {@code {"apiKey": "…"}}),
 * or else from the upgrade request's headers. Without valid ones the socket is closed with 4403 before any
 * operation starts; when they expire it is closed with 4401. Messages that arrive while a key or token is
 * being looked up wait, in order.
 */
final class SocketLogin {

    private final Authenticator authenticator;
    private final SocketSession session;
    private final Map<String, Object> context;
    private final Vertx vertx;
    private final String upgradeCredential;
    private boolean initialised;
    private List<String> waiting;
    private long expiryTimer = -1;
    /** The admitted caller and its credential, for the checks of revoked keys (read on other threads). */
    private volatile Caller caller;
    private volatile String credential;

    SocketLogin(Authenticator authenticator, SocketSession session, Map<String, Object> context, Vertx vertx,
            String upgradeCredential) {
        this.authenticator = authenticator;
        this.session = session;
        this.context = context;
        this.vertx = vertx;
        this.upgradeCredential = upgradeCredential;
        context.put(Caller.KEY, authenticator.enabled() ? Caller.NOBODY : Caller.OPEN);
    }

    /** Hands {@code text} on to {@code next} once the socket's caller is known; {@code connection_init} decides it. */
    void receive(String text, Consumer<String> next) {
        if (waiting != null) {
            waiting.add(text);
            return;
        }
        if (initialised || !authenticator.enabled() || !isInit(text)) {
            next.accept(text);
            return;
        }
        initialised = true;
        String credential = credentialOf(text);
        Caller caller;
        try {
            caller = authenticator.cached(credential);
        } catch (UnauthenticatedException e) {
            refuse(e.getMessage());
            return;
        }
        if (caller != null) {
            admit(caller, credential, text, next);
            return;
        }
        waiting = new ArrayList<>();
        vertx.executeBlocking(() -> authenticator.authenticate(credential), false).onComplete(result -> {
            List<String> held = waiting;
            waiting = null;
            if (result.failed()) {
                refuse(result.cause() instanceof UnauthenticatedException e ? e.getMessage() : "credentials could not be checked");
                return;
            }
            admit(result.result(), credential, text, next);
            held.forEach(t -> receive(t, next));
        });
    }

    private void admit(Caller caller, String credential, String init, Consumer<String> next) {
        if (caller.role() == null) {
            refuse("connection_init carries no credentials: send {\"Authorization\": \"Bearer <token or key>\"} as its payload");
            return;
        }
        context.put(Caller.KEY, caller);
        this.credential = credential;
        this.caller = caller;
        if (caller.expiresAt() != null) {
            long ms = Math.max(1, Duration.between(Instant.now(), caller.expiresAt()).toMillis());
            expiryTimer = vertx.setTimer(ms, id -> session.close(SocketSession.CREDENTIALS_EXPIRED, "credentials expired"));
        }
        next.accept(init);
    }

    private void refuse(String why) {
        session.close(SocketSession.CREDENTIALS_REFUSED, "Forbidden: " + why);
    }

    /** Closes the socket if it was opened with the key of {@code subject} (revoked on this replica). */
    void revoked(String subject) {
        Caller admitted = caller;
        if (admitted != null && subject.equals(admitted.subject()) && credential != null
                && credential.startsWith(ApiKeys.PREFIX)) {
            session.close(SocketSession.CREDENTIALS_REVOKED, "Forbidden: the API key was revoked");
        }
    }

    /**
     * Checks the socket's API key again (a revocation on another replica reaches this one through the key cache,
     * within jobyard.auth.key-cache-ttl) and closes the socket if it is no longer valid. Blocks: a worker thread.
     * Tokens cannot be revoked, and expiry has its own timer.
     */
    void recheck() {
        Caller admitted = caller;
        String key = credential;
        if (admitted == null || key == null || !key.startsWith(ApiKeys.PREFIX) || session.isClosed()
                || admitted.expired(Instant.now())) {
            return;
        }
        try {
            authenticator.authenticate(key);
        } catch (UnauthenticatedException e) {
            session.close(SocketSession.CREDENTIALS_REVOKED, "Forbidden: the API key was revoked");
        } catch (RuntimeException e) {
            // The key could not be looked up (the database is away): the next round checks it again.
        }
    }

    void closed() {
        if (expiryTimer >= 0) {
            vertx.cancelTimer(expiryTimer);
        }
    }

    private static boolean isInit(String text) {
        return text.contains("connection_init") && "connection_init".equals(parse(text).getString("type"));
    }

    private String credentialOf(String text) {
        JsonObject payload = parse(text).getJsonObject("payload");
        if (payload != null) {
            for (String name : payload.fieldNames()) {
                Object value = payload.getValue(name);
                if (!(value instanceof String s)) {
                    continue;
                }
                if (name.equalsIgnoreCase("authorization")) {
                    String credential = Authenticator.credentialOf(s, null);
                    return credential != null ? credential : s.isBlank() ? null : s.trim();
                }
                if (name.equalsIgnoreCase("apiKey") || name.equalsIgnoreCase("x-api-key") || name.equalsIgnoreCase("token")) {
                    return s.isBlank() ? null : s.trim();
                }
            }
        }
        return upgradeCredential;
    }

    private static JsonObject parse(String text) {
        try {
            return new JsonObject(text);
        } catch (RuntimeException e) {
            return new JsonObject();
        }
    }
}
