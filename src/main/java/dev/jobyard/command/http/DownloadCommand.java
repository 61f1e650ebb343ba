package dev.jobyard.command.http;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
 * a file named after its last path segment in {@code directory}, {@code workers} at a time. The attempt
 * fails if any download does (non-2xx or error); the result lists every file.
 */
@ApplicationScoped
public class DownloadCommand implements JobHandler {

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
                results.add(pool.submit(() -> fetch(url, plan.directory())));
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
            // Interrupts the downloads still running when the attempt is stopped.
            pool.shutdownNow();
        }
    }

    private JsonObject fetch(URI url, Path directory) {
        JsonObject file = new JsonObject().put("url", url.toString());
        try {
            // Checked again now: a symlink planted since creation must not redirect the write.
            Path target = confinement.files().check("directory", directory.resolve(fileName("urls", url)).toString());
            file.put("file", target.toString());
            HttpResponse<Path> response = clients.client().send(
                    HttpRequest.newBuilder(url).timeout(config.http().timeout()).GET().build(),
                    HttpResponse.BodyHandlers.ofFile(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS));
            file.put("status", response.statusCode()).put("bytes", Files.size(target));
            if (response.statusCode() / 100 != 2) {
                Files.deleteIfExists(target);
                file.put("error", "HTTP " + response.statusCode());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            file.put("error", "stopped");
        } catch (Exception e) {
            file.put("error", e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        return file;
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
