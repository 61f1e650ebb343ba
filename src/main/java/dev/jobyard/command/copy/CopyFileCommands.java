package dev.jobyard.command.copy;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import jakarta.inject.Singleton;

import dev.jobyard.command.CommandRules;
import dev.jobyard.command.CommandsConfig;
import dev.jobyard.command.Confinement;
import dev.jobyard.command.Payload;
import dev.jobyard.handler.JobContext;
import dev.jobyard.handler.JobHandler;
import io.vertx.core.json.JsonObject;

/**
 * {@code copy_from_file} and {@code copy_to_file}: {@code {"table": ..., "columns": [...], "file": "..."}} (see
 * {@link CopySpec}, also {@code "query"} for a copy out), the file inside the
 * allowed directories; the result is {@code {file, bytes, rows}}. The beans are singletons, not
 * client-proxied, because they share a base class with final fields.
 */
public final class CopyFileCommands {

    static final String ENABLED = "jobyard.commands.files.enabled";

    private CopyFileCommands() {
    }

    abstract static class Base implements JobHandler {

        final CommandsConfig config;
        final Confinement confinement;
        final Copier copier;

        Base(CommandsConfig config, Confinement confinement, Copier copier) {
            this.config = config;
            this.confinement = confinement;
            this.copier = copier;
        }

        abstract CopySpec spec(JsonObject payload);

        abstract long copy(CopySpec spec, Path file, JobContext context) throws Exception;

        @Override
        public void validate(JsonObject payload) {
            CommandRules.requireEnabled(config.files().enabled(), kind(), ENABLED);
            spec(payload);
            confinement.files().check("file", Payload.of(payload).optionalString("file"));
        }

        @Override
        public JsonObject handle(JobContext context) throws Exception {
            // The settings of the replica that runs the job decide, not those of the one that created it.
            validate(context.payload());
            Path file = confinement.files().check("file", Payload.of(context.payload()).optionalString("file"));
            long rows = copy(spec(context.payload()), file, context);
            return new JsonObject().put("file", file.toString()).put("bytes", Files.size(file)).put("rows", rows);
        }
    }

    /** {@code COPY ... FROM STDIN} fed from a file. */
    @Singleton
    public static class FromFile extends Base {

        FromFile(CommandsConfig config, Confinement confinement, Copier copier) {
            super(config, confinement, copier);
        }

        @Override
        public String kind() {
            return "copy_from_file";
        }

        @Override
        CopySpec spec(JsonObject payload) {
            return CopySpec.copyIn(payload);
        }

        @Override
        long copy(CopySpec spec, Path file, JobContext context) throws Exception {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), 65536)) {
                return copier.copyIn(spec, in, context, () -> true);
            }
        }
    }

    /** {@code COPY ... TO STDOUT} written to a file, created or replaced. */
    @Singleton
    public static class ToFile extends Base {

        ToFile(CommandsConfig config, Confinement confinement, Copier copier) {
            super(config, confinement, copier);
        }

        @Override
        public String kind() {
            return "copy_to_file";
        }

        @Override
        CopySpec spec(JsonObject payload) {
            return CopySpec.copyOut(payload);
        }

        @Override
        long copy(CopySpec spec, Path file, JobContext context) throws Exception {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS), 65536)) {
                return copier.copyOut(spec, out, context, () -> true);
            }
        }
    }
}
