package dev.jobyard.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import io.vertx.core.json.JsonObject;

/**
 * Posts GraphQL documents to one replica's {@code /graphql}, as any HTTP client of the product would.
 * The JDK client (not REST Assured) because W2 times calls from four threads and its overhead counts.
 */
public final class GraphQL {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final URI endpoint;
    private final String authorization;

    public GraphQL(String baseUrl) {
        this(baseUrl, null);
    }

    /** A client that sends {@code Authorization: <authorization>} with every call (null: none). */
    public GraphQL(String baseUrl, String authorization) {
        this.endpoint = URI.create(baseUrl.replaceAll("/+$", "") + "/graphql");
        this.authorization = authorization;
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Runs the document and returns its {@code data}; any GraphQL error is an exception, since a benchmark call must not fail. */
    public JsonObject execute(String query, Map<String, Object> variables) {
        String body = new JsonObject().put("query", query).put("variables", new JsonObject(variables)).encode();
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint).timeout(Duration.ofMinutes(2))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        HttpRequest request = builder.build();
        HttpResponse<String> response;
        try {
            response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("POST " + endpoint + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling " + endpoint, e);
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("POST " + endpoint + " answered " + response.statusCode() + ": "
                    + abbreviate(response.body()));
        }
        JsonObject result = new JsonObject(response.body());
        if (result.getValue("errors") != null) {
            throw new IllegalStateException("GraphQL errors from " + endpoint + ": " + abbreviate(result.getValue("errors").toString())
                    + " for " + abbreviate(query));
        }
        return result.getJsonObject("data");
    }

    private static String abbreviate(String text) {
        return text.length() <= 500 ? text : text.substring(0, 500) + "…";
    }
}
