package dev.jobyard.command.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.command.CommandRules;
import dev.jobyard.command.CommandsConfig;
import dev.jobyard.command.Confinement;
import dev.jobyard.command.HostGuard;
import dev.jobyard.command.Payload;
import dev.jobyard.handler.FailedWithOutput;
import dev.jobyard.handler.JobContext;
import dev.jobyard.handler.JobHandler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@code download}: {@code {"urls": [...], "directory": "...", "workers": 2}}. Each URL is streamed to
 * a file named after its last path segment in {@code directory}, {@code workers} at a time, at most
 * {@code jobyard.commands.download.max-bytes} each. The attempt fails if any download does (non-2xx,
 * too large, error, stopped), and a failed download leaves no file; the result lists every file.
 */
@ApplicationScoped
public class DownloadCommand implements JobHandler {

    static final String MAX_BYTES_KEY = "jobyard.commands.download.max-bytes";

    private final CommandsConfig config;
    private final HostGuard hosts;
    private final Confinement confinement;
    private final HttpClients clients;

    DownloadCommand(CommandsConfig config, HostGuard hosts, Confinement confinement, HttpClients clients) {
        this.config = config;
        this.hosts = hosts;
        this.confinement = confinement;
        this.clients = clients;
    }

    @Override
    public String kind() {
        return "download";
    }

    private record Plan(List<URI> urls, Path directory, int workers) {
    }

    private Plan plan(JsonObject json) {
        Payload payload = Payload.of(json);
        List<String> given = payload.strings("urls");
        if (given.isEmpty()) {
            throw Payload.bad("urls", "at least one URL is needed");
        }
        List<URI> urls = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            URI url = hosts.check("urls[" + i + "]", given.get(i));
            fileName("urls[" + i + "]", url);
            urls.add(url);
        }
        Path directory = confinement.files().checkDirectory("directory", payload.optionalString("directory"));
        int workers = payload.integer("workers", 1, 1, config.download().maxWorkers());
        return new Plan(urls, directory, workers);
    }

    @Override
    public void validate(JsonObject payload) {
        CommandRules.requireEnabled(config.download().enabled(), kind(), "jobyard.commands.download.enabled");
        plan(payload);
    }

    @Override
    public JsonObject handle(JobContext context) throws Exception {
        // The settings of the replica that runs the job decide, not those of the one that created it.
        validate(context.payload());
        Plan plan = plan(context.payload());
        ExecutorService pool = Executors.newFixedThreadPool(plan.workers());
        try {
            List<Future<JsonObject>> results = new ArrayList<>();
            for (URI url : plan.urls()) {
                results.add(pool.submit(() -> fetch(url, plan.directory(), context)));
            }
            JsonArray files = new JsonArray();
            int failed = 0;
            for (Future<JsonObject> result : results) {
                JsonObject file = result.get();
                failed += file.containsKey("error") ? 1 : 0;
                files.add(file);
            }
            JsonObject output = new JsonObject().put("directory", plan.directory().toString()).put("files", files);
            if (failed > 0) {
                throw new FailedWithOutput(failed + " of " + files.size() + " downloads failed", output);
            }
            return output;
        } finally {
            // Interrupts the downloads still running when the attempt is stopped, and lets them remove their partial files.
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private JsonObject fetch(URI url, Path directory, JobContext context) {
        JsonObject file = new JsonObject().put("url", url.toString());
        Path target = null;
        boolean complete = false;
        try {
            // Checked again now: a symlink planted since creation must not redirect the write.
            target = confinement.files().check("directory", directory.resolve(fileName("urls", url)).toString());
            file.put("file", target.toString());
            hosts.checkResolved("urls", url);
            Path into = target;
            long max = config.download().maxBytes();
            HttpRequest request = HttpRequest.newBuilder(url).timeout(config.http().timeout()).GET().build();
            int status = BoundedExchange.run(clients.client(), request, config.http().timeout(), context, response -> {
                if (response.statusCode() / 100 == 2) {
                    long declared = response.headers().firstValueAsLong("content-length").orElse(-1);
                    if (declared > max) {
                        throw new IllegalStateException(tooLarge(declared, max));
                    }
                    try (OutputStream out = Files.newOutputStream(into, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
                        copyAtMost(response.body(), out, max, context);
                    }
                }
                return response.statusCode();
            });
            file.put("status", status);
            if (status / 100 != 2) {
                file.put("error", "HTTP " + status);
            } else {
                file.put("bytes", Files.size(target));
                complete = true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            file.put("error", "stopped");
        } catch (Exception e) {
            file.put("error", e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } finally {
            if (!complete && target != null) {
                // A failed, stopped or oversized download leaves no partial file behind.
                try {
                    Files.deleteIfExists(target);
                } catch (IOException e) {
                    file.put("error", file.getString("error") + "; the partial file could not be removed: " + e.getMessage());
                }
            }
        }
        return file;
    }

    /** Copies the body, failing once it passes {@code max} bytes or the attempt is stopped. */
    private static void copyAtMost(InputStream in, OutputStream out, long max, JobContext context) throws IOException {
        byte[] buffer = new byte[65536];
        long total = 0;
        for (int n; (n = in.read(buffer)) >= 0;) {
            total += n;
            if (total > max) {
                throw new IllegalStateException(tooLarge(total, max));
            }
            if (context.isCancelled()) {
                throw new InterruptedIOException("stopped");
            }
            out.write(buffer, 0, n);
        }
    }

    private static String tooLarge(long bytes, long max) {
        return "larger than " + max + " bytes (" + bytes + " or more); the limit is " + MAX_BYTES_KEY;
    }

    private static String fileName(String field, URI url) {
        String path = url.getPath() == null ? "" : url.getPath();
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            throw Payload.bad(field, "'" + url + "' has no file name in its path");
        }
        return name;
    }
}
