package dev.jobyard.api.guard;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import dev.jobyard.access.ApiKeys;
import dev.jobyard.access.Authenticator;
import dev.jobyard.config.JobyardConfig;
import io.quarkus.arc.Arc;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.smallrye.graphql.runtime.SmallRyeAuthGraphQLTransportWSSubprotocolHandler;
import io.quarkus.smallrye.graphql.runtime.SmallRyeAuthGraphQLWSSubprotocolHandler;
import io.quarkus.smallrye.graphql.runtime.SmallRyeGraphQLAbstractHandler;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.graphql.websocket.GraphQLWebsocketHandler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The GraphQL WebSocket (graphql-transport-ws and graphql-ws) with its limits: the upgrade is refused for a
 * foreign {@code Origin} (403) and past {@code jobyard.api.max-sockets-per-client} sockets of one address
 * (429); a message nested deeper than {@code jobyard.api.max-json-depth} closes the socket with 4400, one
 * operation past {@code jobyard.api.max-subscriptions-per-socket} with 4413, a client that does not read
 * with 4503 ({@link SocketSession}). With access control on, {@code connection_init} must carry credentials
 * ({@link SocketLogin}). The protocol itself is the extension's.
 */
@ApplicationScoped
public class GraphQLSocket {

    private static final Logger LOG = Logger.getLogger(GraphQLSocket.class);

    private final JobyardConfig config;
    private final Authenticator authenticator;
    private final OriginPolicy origins = OriginPolicy.fromConfig();
    private final Map<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final java.util.Set<SocketLogin> logins = ConcurrentHashMap.newKeySet();
    private volatile Upgrade upgrade;

    GraphQLSocket(JobyardConfig config, Authenticator authenticator) {
        this.config = config;
        this.authenticator = authenticator;
    }

    void open(RoutingContext ctx) {
        if (!origins.allows(ctx.request().getHeader(HttpHeaders.ORIGIN), ctx.request().getHeader(HttpHeaders.HOST))) {
            ErrorBody.send(ctx, 403, "FORBIDDEN", "Origin " + ctx.request().getHeader(HttpHeaders.ORIGIN)
                    + " may not open the GraphQL socket (quarkus.http.cors.origins)");
            return;
        }
        String address = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().host();
        AtomicInteger open = perAddress.computeIfAbsent(address, a -> new AtomicInteger());
        if (open.incrementAndGet() > config.api().maxSocketsPerClient()) {
            release(address);
            ErrorBody.send(ctx, 429, "TOO_MANY_REQUESTS", "at most " + config.api().maxSocketsPerClient()
                    + " sockets per client address (jobyard.api.max-sockets-per-client)");
            return;
        }
        upgrade().handle(ctx, address);
    }

    private void release(String address) {
        perAddress.computeIfPresent(address, (a, count) -> count.decrementAndGet() <= 0 ? null : count);
    }

    private Upgrade upgrade() {
        if (upgrade == null) {
            var identity = Arc.container().select(CurrentIdentityAssociation.class);
            upgrade = new Upgrade(identity.isResolvable() ? identity.get() : null,
                    Arc.container().instance(CurrentVertxRequest.class).get());
        }
        return upgrade;
    }

    /**
     * Active operations of one socket. The two protocol handlers have different superclasses, and the map
     * of operations is visible only to subclasses: hence two near-identical subclasses.
     */
    private interface Operations {
        int active();
    }

    private static final class TransportWs extends SmallRyeAuthGraphQLTransportWSSubprotocolHandler implements Operations {
        TransportWs(SocketSession session, Map<String, Object> context, RoutingContext ctx,
                SmallRyeGraphQLAbstractHandler handler, Optional<String> initPayload) {
            super(session, context, ctx, handler, initPayload);
        }

        @Override
        public int active() {
            return activeOperations.size();
        }
    }

    private static final class LegacyWs extends SmallRyeAuthGraphQLWSSubprotocolHandler implements Operations {
        LegacyWs(SocketSession session, Map<String, Object> context, RoutingContext ctx,
                SmallRyeGraphQLAbstractHandler handler, Optional<String> initPayload) {
            super(session, context, ctx, handler, initPayload);
        }

        @Override
        public int active() {
            return activeOperations.size();
        }
    }

    /** The upgrade, inside the extension's request handling (request context, identity, request metadata). */
    private final class Upgrade extends SmallRyeGraphQLAbstractHandler {

        private final Optional<String> initPayload = ConfigProvider.getConfig()
                .getOptionalValue("quarkus.smallrye-graphql.authorization-client-init-payload-name", String.class);
        private final ThreadLocal<String> address = new ThreadLocal<>();

        Upgrade(CurrentIdentityAssociation identity, CurrentVertxRequest request) {
            super(identity, request, false);
        }

        void handle(RoutingContext ctx, String client) {
            address.set(client);
            try {
                handle(ctx);
            } finally {
                address.remove();
            }
        }

        @Override
        protected void doHandle(RoutingContext ctx) {
            String client = address.get();
            Map<String, Object> context = new ConcurrentHashMap<>(getMetaData(ctx));
            ctx.request().toWebSocket(result -> {
                if (result.failed()) {
                    release(client);
                    LOG.debugf("GraphQL socket upgrade failed: %s", result.cause());
                    return;
                }
                ServerWebSocket socket = result.result();
                SocketSession session = new SocketSession(socket, config.api().maxQueuedMessages());
                context.put(SocketSession.KEY, session);
                context.put(AccessGuard.ADDRESS, client);
                SocketLogin login = new SocketLogin(authenticator, session, context, ctx.vertx(),
                        Authenticator.credentialOf(ctx.request().getHeader(HttpHeaders.AUTHORIZATION),
                                ctx.request().getHeader("X-Api-Key")));
                GraphQLWebsocketHandler handler;
                if ("graphql-transport-ws".equals(socket.subProtocol())) {
                    handler = new TransportWs(session, context, ctx, this, initPayload);
                } else if ("graphql-ws".equals(socket.subProtocol())) {
                    handler = new LegacyWs(session, context, ctx, this, initPayload);
                } else {
                    release(client);
                    socket.close(SocketSession.BAD_MESSAGE, "subprotocol must be graphql-transport-ws or graphql-ws");
                    return;
                }
                logins.add(login);
                socket.closeHandler(v -> {
                    release(client);
                    logins.remove(login);
                    login.closed();
                    handler.onClose();
                });
                socket.endHandler(v -> handler.onEnd());
                socket.exceptionHandler(handler::onThrowable);
                socket.textMessageHandler(text -> login.receive(text, t -> receive(handler, session, t)));
            });
        }
    }

    /** A key revoked on this replica closes the sockets opened with it at once. */
    void onRevoked(@jakarta.enterprise.event.Observes ApiKeys.Revoked revoked) {
        for (SocketLogin login : logins) {
            login.revoked(revoked.subject());
        }
    }

    /** Keys revoked on other replicas: every open socket's key is checked again once per key cache period. */
    @io.quarkus.scheduler.Scheduled(every = "${jobyard.auth.key-cache-ttl:10s}",
            concurrentExecution = io.quarkus.scheduler.Scheduled.ConcurrentExecution.SKIP)
    void recheckKeys() {
        if (authenticator.enabled()) {
            for (SocketLogin login : logins) {
                login.recheck();
            }
        }
    }

    private void receive(GraphQLWebsocketHandler handler, SocketSession session, String text) {
        if (session.isClosed()) {
            return;
        }
        int maxDepth = config.api().maxJsonDepth();
        if (JsonNesting.deeperThan(text, maxDepth)) {
            session.close(SocketSession.BAD_MESSAGE, "JSON nested deeper than " + maxDepth + " (jobyard.api.max-json-depth)");
            return;
        }
        JsonObject operation = operationOf(text);
        if (operation != null) {
            if (((Operations) handler).active() >= config.api().maxSubscriptionsPerSocket()) {
                session.close(SocketSession.TOO_MANY_OPERATIONS, "over " + config.api().maxSubscriptionsPerSocket()
                        + " operations (jobyard.api.max-subscriptions-per-socket)");
                return;
            }
            JsonObject payload = operation.getJsonObject("payload");
            String syntax = payload != null && payload.getValue("query") instanceof String query ? QuerySyntax.problem(query) : null;
            if (syntax != null) {
                JsonObject error = new JsonObject().put("message", syntax)
                        .put("extensions", new JsonObject().put("code", CodedError.BAD_USER_INPUT));
                session.sendMessage(new JsonObject().put("id", operation.getValue("id")).put("type", "error")
                        .put("payload", handler instanceof TransportWs ? new io.vertx.core.json.JsonArray().add(error) : error).encode());
                return;
            }
        }
        handler.onMessage(text);
    }

    /** The message if it starts an operation (subscribe, or start in graphql-ws), else null. */
    private static JsonObject operationOf(String text) {
        try {
            JsonObject message = new JsonObject(text);
            String type = message.getString("type");
            return "subscribe".equals(type) || "start".equals(type) ? message : null;
        } catch (RuntimeException e) {
            // The protocol handler answers a message it cannot read.
            return null;
        }
    }
}
