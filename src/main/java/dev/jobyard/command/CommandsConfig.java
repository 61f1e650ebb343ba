package dev.jobyard.command;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * What the built-in commands may do ({@code jobyard.commands.*}). The dangerous kinds are off until an
 * operator turns them on; docs/commands.md explains each setting.
 */
@ConfigMapping(prefix = "jobyard.commands")
public interface CommandsConfig {

    /** Most bytes of each captured stream (stdout, stderr, response body) kept in a result. */
    @WithDefault("65536")
    int maxOutputBytes();

    Sql sql();

    Program program();

    Http http();

    Download download();

    Files files();

    CopyProgram copyProgram();

    Shutdown shutdown();

    interface Sql {
        /** {@code sql} jobs are accepted. */
        @WithDefault("false")
        boolean enabled();

        /** Most result rows kept in a job's result. */
        @WithDefault("1000")
        int maxRows();

        /** Extra databases a job may name in {@code datasource}, besides the service's own. */
        Map<String, Datasource> datasources();
    }

    interface Datasource {
        /** {@code postgresql://host:port/db}. */
        String url();

        Optional<String> username();

        /** Kept in configuration only; never in a payload. */
        Optional<String> password();
    }

    interface Program {
        /** {@code program} jobs are accepted. */
        @WithDefault("false")
        boolean enabled();

        /**
         * Executables that {@code program} and {@code copy_*_program} may run, by name (looked up on PATH) or
         * absolute path. Shells ({@code sh}, {@code bash}) run only if listed here.
         */
        Optional<List<String>> allowed();

        /** Directories a job's {@code cwd} must be inside; empty means the service's working directory only. */
        Optional<List<String>> directories();
    }

    interface Http {
        /** {@code http} jobs are accepted (on by default: the host list is the guard). */
        @WithDefault("true")
        boolean enabled();

        /** Hosts {@code http} and {@code download} may reach; empty means any host. */
        Optional<List<String>> allowedHosts();

        /** Longest a request may take (connect plus response). */
        @WithDefault("60s")
        Duration timeout();
    }

    interface Download {
        /** {@code download} jobs are accepted; files go only into {@code jobyard.commands.files.directories}. */
        @WithDefault("false")
        boolean enabled();

        /** Most parallel downloads a job may ask for. */
        @WithDefault("8")
        int maxWorkers();
    }

    interface Files {
        /** {@code copy_from_file} and {@code copy_to_file} jobs are accepted. */
        @WithDefault("false")
        boolean enabled();

        /**
         * The only directories file commands (copy files, download destinations, mail attachments) may
         * read or write, checked on real paths so that neither {@code ..} nor symlinks lead out.
         */
        Optional<List<String>> directories();
    }

    interface CopyProgram {
        /** {@code copy_from_program} and {@code copy_to_program} jobs are accepted (executables from the program allow-list). */
        @WithDefault("false")
        boolean enabled();
    }

    interface Shutdown {
        /** {@code shutdown} jobs are accepted. */
        @WithDefault("true")
        boolean enabled();
    }
}
