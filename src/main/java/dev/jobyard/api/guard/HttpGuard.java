package dev.jobyard.api.guard;

import java.util.Locale;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.ConfigProvider;

import dev.jobyard.access.Authenticator;
import dev.jobyard.access.Caller;
import dev.jobyard.common.UnauthenticatedException;
import dev.jobyard.config.JobyardConfig;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Stands in front of the GraphQL endpoint. POSTs must be JSON (a browser sends {@code text/plain} and form
 * bodies cross-site without asking, JSON only after a CORS preflight), their body must be a GraphQL request
 * object no deeper than {@code jobyard.api.max-json-depth}, WebSocket upgrades go to {@link GraphQLSocket}, and
 * every request is given its caller ({@link Authenticator}).
 */
@ApplicationScoped
public class HttpGuard {

    static final String PATH = "/graphql";
    private static final Set<String> JSON_TYPES = Set.of("application/json", "application/graphql-response+json");

    private final JobyardConfig config;
    private final GraphQLSocket sockets;
    private final Authenticator authenticator;

    HttpGuard(JobyardConfig config, GraphQLSocket sockets, Authenticator authenticator) {
        this.config = config;
        this.sockets = sockets;
        this.authenticator = authenticator;
    }

    void install(@Observes Router router) {
        long maxBody = ConfigProvider.getConfig().getOptionalValue("quarkus.http.limits.max-body-size", MemorySize.class)
                .map(MemorySize::asLongValue).orElse(10L * 1024 * 1024);
        // Before the extension's routes (the first has order -99): an upgrade never reaches its socket handler, a
        // POST reaches it checked.
        router.route(PATH).order(-120).handler(this::upgrade);
        router.route(HttpMethod.POST, PATH).order(-119).handler(this::contentType);
        router.route(HttpMethod.POST, PATH).order(-118).handler(BodyHandler.create(false).setBodyLimit(maxBody));
        router.route(HttpMethod.POST, PATH).order(-117).handler(this::body);
        router.route(PATH).order(-116).handler(this::authenticate);
    }

    /**
     * Finds the caller (AccessGuard checks it per field): at once from the cache, else on a worker thread, since
     * an unseen key is a query and an unseen token may need the provider's keys. Bad credentials are refused here.
     */
    private void authenticate(RoutingContext ctx) {
        String credential = Authenticator.credentialOf(ctx.request().getHeader(HttpHeaders.AUTHORIZATION),
                ctx.request().getHeader("X-Api-Key"));
        Caller caller;
        try {
            caller = authenticator.cached(credential);
        } catch (UnauthenticatedException e) {
            ErrorBody.send(ctx, 401, e.code(), e.getMessage());
            return;
        }
        if (caller != null) {
            ctx.put(Caller.KEY, caller);
            ctx.next();
            return;
        }
        ctx.vertx().executeBlocking(() -> authenticator.authenticate(credential), false).onComplete(result -> {
            if (result.succeeded()) {
                ctx.put(Caller.KEY, result.result());
                ctx.next();
            } else if (result.cause() instanceof UnauthenticatedException e) {
                ErrorBody.send(ctx, 401, e.code(), e.getMessage());
            } else {
                ErrorBody.send(ctx, 503, FailureCodes.UNAVAILABLE, "credentials could not be checked right now; try again");
            }
        });
    }

    private void upgrade(RoutingContext ctx) {
        if (ctx.request().headers().contains(HttpHeaders.UPGRADE, HttpHeaders.WEBSOCKET, true)) {
            sockets.open(ctx);
        } else {
            ctx.next();
        }
    }

    private void contentType(RoutingContext ctx) {
        String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        String media = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!JSON_TYPES.contains(media)) {
            ErrorBody.send(ctx, 415, "BAD_USER_INPUT", "Content-Type must be application/json or "
                    + "application/graphql-response+json, got " + (type == null ? "none" : "'" + type + "'"));
            return;
        }
        // The extension reads every type that starts with application/graphql as a bare document.
        ctx.request().headers().set(HttpHeaders.CONTENT_TYPE, "application/json");
        ctx.next();
    }

    private void body(RoutingContext ctx) {
        String text = ctx.body().asString();
        if (text == null || text.isBlank()) {
            ErrorBody.send(ctx, 400, "BAD_USER_INPUT", "the body must be a GraphQL request: {\"query\": …, \"variables\": {…}}");
            return;
        }
        int maxDepth = config.api().maxJsonDepth();
        if (JsonNesting.deeperThan(text, maxDepth)) {
            ErrorBody.send(ctx, 400, "BAD_USER_INPUT", "the request nests JSON deeper than " + maxDepth
                    + " levels (jobyard.api.max-json-depth)");
            return;
        }
        String problem = envelopeProblem(text);
        if (problem != null) {
            ErrorBody.send(ctx, 400, "BAD_USER_INPUT", problem);
            return;
        }
        ctx.next();
    }

    /** What is wrong with the request object, or null; the checks the extension would answer without a code. */
    static String envelopeProblem(String text) {
        JsonObject request;
        try {
            Object parsed = io.vertx.core.json.Json.decodeValue(text);
            if (!(parsed instanceof JsonObject object)) {
                return "the body must be a JSON object with a query";
            }
            request = object;
        } catch (DecodeException e) {
            return "the body is not valid JSON: " + e.getMessage();
        }
        if (!(request.getValue("query") instanceof String query) || query.isBlank()) {
            return "query: must be a non-empty string";
        }
        String syntax = QuerySyntax.problem(query);
        if (syntax != null) {
            return syntax;
        }
        Object variables = request.getValue("variables");
        if (variables != null && !(variables instanceof JsonObject)) {
            return "variables: must be a JSON object";
        }
        Object operation = request.getValue("operationName");
        if (operation != null && !(operation instanceof String)) {
            return "operationName: must be a string";
        }
        Object extensions = request.getValue("extensions");
        if (extensions != null && !(extensions instanceof JsonObject)) {
            return "extensions: must be a JSON object";
        }
        return null;
    }
}
