package dev.jobyard.command.http;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

import dev.jobyard.command.HostGuard;
import dev.jobyard.command.Payload;
import dev.jobyard.command.Secrets;
import io.vertx.core.json.JsonObject;

/**
 * An {@code http} payload: {@code method} (GET), {@code url}, {@code headers} (values may be
 * {@code {"secret": "name"}}; credential headers must be), {@code body} (a string, or JSON sent as is).
 */
record HttpRequestSpec(String method, URI url, JsonObject headers, Object body) {

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    static HttpRequestSpec read(JsonObject json, HostGuard hosts, Secrets secrets) {
        Payload payload = Payload.of(json);
        String method = payload.optionalString("method");
        method = method == null ? "GET" : method.toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            throw Payload.bad("method", "must be one of " + METHODS + ", got " + method);
        }
        URI url = hosts.check("url", payload.optionalString("url"));
        JsonObject headers = payload.object("headers");
        for (String name : headers.fieldNames()) {
            secrets.validate("headers." + name, headers.getValue(name), Secrets.isSensitiveHeader(name), new Secrets.Use("http", url.getHost()));
        }
        return new HttpRequestSpec(method, url, headers, json.getValue("body"));
    }

    HttpRequest toRequest(Secrets secrets, Duration timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(url).timeout(timeout);
        boolean json = body instanceof JsonObject || body instanceof io.vertx.core.json.JsonArray;
        if (json && !headers.fieldNames().stream().anyMatch(h -> h.equalsIgnoreCase("content-type"))) {
            builder.header("Content-Type", "application/json");
        }
        headers.forEach(h -> builder.header(h.getKey(), secrets.resolve(h.getValue())));
        String text = body == null ? null : body instanceof String s ? s : String.valueOf(body);
        return builder.method(method, text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text))
                .build();
    }
}
