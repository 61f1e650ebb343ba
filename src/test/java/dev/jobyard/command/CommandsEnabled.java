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
 * machine (loopback allowed as a network, since the test servers listen there), an extra SQL
 * datasource, two runAs roles, a download size cap and a secret usable by http (towards 127.0.0.1) and
 * program only. Tests of the defaults (everything off) use no profile.
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
    /** Login roles that sql jobs may runAs (created by the tests that use them; names carry this helper's name). */
    public static final String READER = "jobyard_sandbox_reader";
    public static final String NOBODY = "jobyard_sandbox_nobody";
    public static final long DOWNLOAD_MAX_BYTES = 100_000;

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
        config.put("jobyard.commands.sql.run-as-roles", READER + "," + NOBODY);
        config.put("jobyard.commands.program.allowed", "echo,cat,false,seq,sleep,/bin/sh,gzip,wc,head,yes,env,pwd,id");
        config.put("jobyard.commands.program.directories", WORK.toString());
        config.put("jobyard.commands.files.enabled", "true");
        config.put("jobyard.commands.files.directories", FILES.toString());
        config.put("jobyard.commands.download.enabled", "true");
        config.put("jobyard.commands.copy-program.enabled", "true");
        config.put("jobyard.commands.http.allowed-hosts", "127.0.0.1,localhost");
        config.put("jobyard.commands.http.allowed-networks", "127.0.0.0/8,::1");
        config.put("jobyard.commands.download.max-bytes", String.valueOf(DOWNLOAD_MAX_BYTES));
        config.put("jobyard.commands.max-output-bytes", "10000");
        config.put("jobyard.secrets.api-token", SECRET);
        config.put("jobyard.commands.secrets.api-token.kinds", "http,program");
        config.put("jobyard.commands.secrets.api-token.hosts", "127.0.0.1");
        return config;
    }
}
