package dev.jobyard.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;
import org.apache.http.util.EntityUtils;

import io.vertx.core.json.JsonObject;

/**
 * Posts GraphQL documents to one replica's {@code /graphql}, as any HTTP client of the product would. W2 times calls
 * from four threads from just before the call, so the client's own latency counts: Apache HttpClient's classic client
 * writes the request on the calling thread over a kept-alive connection, as a script's or a service's HTTP client
 * does. The JDK's {@code HttpClient} (used until session 9) hands every request to its selector thread and the answer
 * back: with 20 ms between calls, as at W2's rate, {@code { __typename }} took 2.36 ms at p50 through it, 1.62 ms
 * through this client and 1.18 ms written to a bare socket (docs/performance.md, session 9).
 */
public final class GraphQL {

    private static final int TIMEOUT_MILLIS = 120_000;
    private static final CloseableHttpClient HTTP = client();

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
        HttpPost post = new HttpPost(endpoint);
        post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
        if (authorization != null) {
            post.setHeader("Authorization", authorization);
        }
        int status;
        String answer;
        try (CloseableHttpResponse response = HTTP.execute(post)) {
            status = response.getStatusLine().getStatusCode();
            answer = EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("POST " + endpoint + " failed", e);
        }
        if (status != 200) {
            throw new IllegalStateException("POST " + endpoint + " answered " + status + ": " + abbreviate(answer));
        }
        JsonObject result = new JsonObject(answer);
        if (result.getValue("errors") != null) {
            throw new IllegalStateException("GraphQL errors from " + endpoint + ": " + abbreviate(result.getValue("errors").toString())
                    + " for " + abbreviate(query));
        }
        return result.getJsonObject("data");
    }

    private static CloseableHttpClient client() {
        PoolingHttpClientConnectionManager connections = new PoolingHttpClientConnectionManager();
        // W2's four timing threads and W1's enqueue threads, to any number of replicas.
        connections.setMaxTotal(64);
        connections.setDefaultMaxPerRoute(16);
        return HttpClients.custom().setConnectionManager(connections)
                .setDefaultRequestConfig(RequestConfig.custom().setConnectTimeout(5_000)
                        .setSocketTimeout(TIMEOUT_MILLIS).setConnectionRequestTimeout(TIMEOUT_MILLIS).build())
                .build();
    }

    private static String abbreviate(String text) {
        return text.length() <= 500 ? text : text.substring(0, 500) + "…";
    }
}
