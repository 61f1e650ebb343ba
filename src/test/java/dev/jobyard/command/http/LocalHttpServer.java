package dev.jobyard.command.http;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on 127.0.0.1 for the http and download tests. {@code /echo} answers with what it
 * received; {@code /whoami} echoes the Authorization header; {@code /status/<n>} answers status n; {@code /bytes/<n>} sends n bytes; every request's
 * method, path and headers are recorded.
 */
final class LocalHttpServer implements AutoCloseable {

    record Received(String method, String path, Map<String, List<String>> headers, String body) {
    }

    private final HttpServer server;
    final List<Received> received = new CopyOnWriteArrayList<>();

    LocalHttpServer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getPath();
            received.add(new Received(exchange.getRequestMethod(), path, exchange.getRequestHeaders(), body));
            int status = 200;
            byte[] answer;
            if (path.startsWith("/status/")) {
                status = Integer.parseInt(path.substring("/status/".length()));
                answer = ("status " + status).getBytes(StandardCharsets.UTF_8);
            } else if (path.startsWith("/bytes/")) {
                answer = new byte[Integer.parseInt(path.substring(path.lastIndexOf('/') + 1).replaceAll("\\D", ""))];
                java.util.Arrays.fill(answer, (byte) 'x');
            } else if (path.equals("/whoami")) {
                // A server that echoes the credentials it got, in its body and a header.
                String auth = exchange.getRequestHeaders().getFirst("Authorization");
                exchange.getResponseHeaders().add("X-Echo-Auth", auth);
                answer = ("you sent " + auth).getBytes(StandardCharsets.UTF_8);
            } else {
                answer = (exchange.getRequestMethod() + " " + path + " " + body).getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().add("X-Served-By", "local-test");
            exchange.getResponseHeaders().add("Set-Cookie", "session=abc");
            exchange.sendResponseHeaders(status, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
