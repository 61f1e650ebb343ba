package dev.jobyard.command.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

import dev.jobyard.command.Watchdog;
import dev.jobyard.handler.JobContext;

/**
 * One request whose whole exchange, the body included, ends by {@code jobyard.commands.http.timeout}
 * and as soon as the attempt is stopped: the client's own timeout covers only the wait for the
 * headers, and a server that then sends one byte a second would hold the worker for ever. On either,
 * the request is cancelled, the body stream closed and the reading thread interrupted.
 */
final class BoundedExchange {

    static final String TIMEOUT_KEY = "jobyard.commands.http.timeout";

    @FunctionalInterface
    interface BodyUse<T> {
        T apply(HttpResponse<InputStream> response) throws Exception;
    }

    private BoundedExchange() {
    }

    static <T> T run(HttpClient client, HttpRequest request, Duration timeout, JobContext context, BodyUse<T> use) throws Exception {
        Thread reader = Thread.currentThread();
        AtomicReference<InputStream> body = new AtomicReference<>();
        CompletableFuture<HttpResponse<InputStream>> pending = client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        Watchdog watchdog = Watchdog.watch("http-job-" + context.jobId(), context, timeout.toNanos(), () -> {
            pending.cancel(true);
            closeQuietly(body.get());
            reader.interrupt();
        });
        try {
            HttpResponse<InputStream> response = pending.get();
            body.set(response.body());
            try (InputStream in = response.body()) {
                if (watchdog.fired()) {
                    throw new IOException("stopped");
                }
                return use.apply(response);
            }
        } catch (InterruptedException | IOException | ExecutionException | java.util.concurrent.CancellationException e) {
            watchdog.close();
            if (watchdog.deadlinePassed()) {
                // Our own deadline interrupted this thread, not the engine: the attempt fails with its reason.
                Thread.interrupted();
                throw new HttpTimeoutException("no complete response within " + timeout.toSeconds() + "s (" + TIMEOUT_KEY + ")");
            }
            if (e instanceof ExecutionException ee && ee.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        } finally {
            watchdog.close();
            if (watchdog.deadlinePassed()) {
                Thread.interrupted();
            }
        }
    }

    private static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException e) {
                // Closing is how the read is stopped; an error while closing changes nothing.
            }
        }
    }
}
