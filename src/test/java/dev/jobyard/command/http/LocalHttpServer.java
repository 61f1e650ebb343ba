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
 * received; {@code /whoami} echoes the Authorization header; {@code /whoami-base64} echoes it base64
 * encoded (alone in a header, after "user:" in the body); {@code /status/<n>} answers status n;
 * {@code /bytes/<n>} sends n bytes (with Content-Length), {@code /chunked/<n>} without;
 * {@code /slow/<n>} declares n bytes and sends one a second, and {@link #slowClientGone} says when the
 * client hung up; every request's method, path and headers are recorded.
 */
final class LocalHttpServer implements AutoCloseable {

    record Received(String method, String path, Map<String, List<String>> headers, String body) {
    }

    private final HttpServer server;
    final List<Received> received = new CopyOnWriteArrayList<>();
    /** Set when a client of /slow closed the connection before the end. */
    final java.util.concurrent.atomic.AtomicBoolean slowClientGone = new java.util.concurrent.atomic.AtomicBoolean();
    /** Bytes /slow has sent so far. */
    final java.util.concurrent.atomic.AtomicInteger slowBytesSent = new java.util.concurrent.atomic.AtomicInteger();

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
            if (path.startsWith("/slow/")) {
                int length = Integer.parseInt(path.substring("/slow/".length()));
                exchange.sendResponseHeaders(200, length);
                try (OutputStream out = exchange.getResponseBody()) {
                    for (int i = 0; i < length; i++) {
                        out.write('s');
                        out.flush();
                        slowBytesSent.incrementAndGet();
                        Thread.sleep(1000);
                    }
                } catch (IOException e) {
                    slowClientGone.set(true);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            if (path.startsWith("/chunked/")) {
                byte[] data = new byte[Integer.parseInt(path.substring("/chunked/".length()))];
                java.util.Arrays.fill(data, (byte) 'c');
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(data);
                } catch (IOException e) {
                    // The client stopped reading: it refused the size.
                }
                return;
            }
            if (path.equals("/whoami-base64")) {
                String auth = exchange.getRequestHeaders().getFirst("Authorization");
                java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
                exchange.getResponseHeaders().add("X-Echo-Auth", b64.encodeToString(auth.getBytes(StandardCharsets.UTF_8)));
                answer = ("basic " + b64.encodeToString(("user:" + auth).getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, answer.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
                return;
            }
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
        // Requests are served in parallel: a /slow one must not hold the others up.
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "local-http");
            t.setDaemon(true);
            return t;
        }));
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
