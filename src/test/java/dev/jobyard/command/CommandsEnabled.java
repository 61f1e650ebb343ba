package dev.jobyard.command;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.jobyard.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The dangerous commands switched on, as an operator would, for the tests that run them: a program
 * allow-list without shells, one directory for files and one for programs, HTTP limited to this
 * machine, an extra SQL datasource and a secret. Tests of the defaults (everything off) use no profile.
 */
public class CommandsEnabled implements QuarkusTestProfile {

    public static final Path ROOT = Path.of("target", "command-tests").toAbsolutePath();
    /** The only directory file commands may use. */
    public static final Path FILES = ROOT.resolve("files");
    /** Where programs may run. */
    public static final Path WORK = ROOT.resolve("work");
    /** Next to FILES, but not allowed: where escapes would lead. */
    public static final Path OUTSIDE = ROOT.resolve("outside");
    public static final String SECRET = "s3cr3t-token-value";

    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            Files.createDirectories(FILES);
            Files.createDirectories(WORK);
            Files.createDirectories(OUTSIDE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TestDatabase.Target db = TestDatabase.target();
        Map<String, String> config = new HashMap<>();
        config.put("jobyard.commands.sql.enabled", "true");
        config.put("jobyard.commands.sql.max-rows", "100");
        config.put("jobyard.commands.sql.datasources.other.url", db.reactiveUrl());
        config.put("jobyard.commands.sql.datasources.other.username", db.user());
        if (!db.password().isEmpty()) {
            config.put("jobyard.commands.sql.datasources.other.password", db.password());
        }
        config.put("jobyard.commands.program.enabled", "true");
        config.put("jobyard.commands.program.allowed", "echo,cat,false,seq,sleep,/bin/sh,gzip,wc,head,yes,env,pwd");
        config.put("jobyard.commands.program.directories", WORK.toString());
        config.put("jobyard.commands.files.enabled", "true");
        config.put("jobyard.commands.files.directories", FILES.toString());
        config.put("jobyard.commands.download.enabled", "true");
        config.put("jobyard.commands.copy-program.enabled", "true");
        config.put("jobyard.commands.http.allowed-hosts", "127.0.0.1,localhost");
        config.put("jobyard.commands.max-output-bytes", "10000");
        config.put("jobyard.secrets.api-token", SECRET);
        return config;
    }
}
