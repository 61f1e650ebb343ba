package dev.jobyard.command.copy;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.command.CommandRules;
import dev.jobyard.command.CommandsConfig;
import dev.jobyard.command.Confinement;
import dev.jobyard.command.Payload;
import dev.jobyard.handler.JobContext;
import dev.jobyard.handler.JobHandler;
import io.vertx.core.json.JsonObject;

/** {@code copy_from_file} and {@code copy_to_file}: {@code {"sql": "COPY ...", "file": "..."}}, inside the allowed directories. */
public final class CopyFileCommands {

    static final String ENABLED = "jobyard.commands.files.enabled";

    private CopyFileCommands() {
    }

    /** {@code COPY ... FROM STDIN} fed from a file; the result is {@code {file, bytes, rows}}. */
    @ApplicationScoped
    public static class FromFile implements JobHandler {

        private final CommandsConfig config;
        private final Confinement confinement;
        private final Copier copier;

        FromFile(CommandsConfig config, Confinement confinement, Copier copier) {
            this.config = config;
            this.confinement = confinement;
            this.copier = copier;
        }

        @Override
        public String kind() {
            return "copy_from_file";
        }

        @Override
        public void validate(JsonObject payload) {
            CommandRules.requireEnabled(config.files().enabled(), kind(), ENABLED);
            CopySpec.copyIn(payload);
            confinement.files().check("file", Payload.of(payload).optionalString("file"));
        }

        @Override
        public JsonObject handle(JobContext context) throws Exception {
            String sql = CopySpec.copyIn(context.payload());
            Path file = confinement.files().check("file", Payload.of(context.payload()).optionalString("file"));
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), 65536)) {
                long rows = copier.copyIn(sql, in, context, () -> true);
                return new JsonObject().put("file", file.toString()).put("bytes", Files.size(file)).put("rows", rows);
            }
        }
    }

    /** {@code COPY ... TO STDOUT} written to a file (created or replaced); the result is {@code {file, bytes, rows}}. */
    @ApplicationScoped
    public static class ToFile implements JobHandler {

        private final CommandsConfig config;
        private final Confinement confinement;
        private final Copier copier;

        ToFile(CommandsConfig config, Confinement confinement, Copier copier) {
            this.config = config;
            this.confinement = confinement;
            this.copier = copier;
        }

        @Override
        public String kind() {
            return "copy_to_file";
        }

        @Override
        public void validate(JsonObject payload) {
            CommandRules.requireEnabled(config.files().enabled(), kind(), ENABLED);
            CopySpec.copyOut(payload);
            confinement.files().check("file", Payload.of(payload).optionalString("file"));
        }

        @Override
        public JsonObject handle(JobContext context) throws Exception {
            String sql = CopySpec.copyOut(context.payload());
            Path file = confinement.files().check("file", Payload.of(context.payload()).optionalString("file"));
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS), 65536)) {
                long rows = copier.copyOut(sql, out, context, () -> true);
                return new JsonObject().put("file", file.toString()).put("bytes", Files.size(file)).put("rows", rows);
            }
        }
    }
}
