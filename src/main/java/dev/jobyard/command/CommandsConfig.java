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

    /**
     * How long a stopped statement of {@code sql} or {@code copy_*} (timeout, cancel) gets after
     * PostgreSQL's cancel request before its backend is terminated: a statement that catches the cancel
     * does not outlive this.
     */
    @WithDefault("2s")
    Duration terminateAfter();

    Sql sql();

    Program program();

    Http http();

    Download download();

    Files files();

    CopyProgram copyProgram();

    Shutdown shutdown();

    /**
     * Where each secret may be used: {@code jobyard.commands.secrets.<name>.kinds} and {@code .hosts}. A
     * secret with no entry here is usable nowhere.
     */
    Map<String, SecretUse> secrets();

    interface SecretUse {
        /** Kinds whose payloads may refer to the secret ({@code http}, {@code program}, {@code copy_from_program}, ...). */
        Optional<List<String>> kinds();

        /** Hosts an {@code http} job may send the secret to, as written in the URL; empty means none. */
        Optional<List<String>> hosts();
    }

    interface Sql {
        /** {@code sql} jobs are accepted. */
        @WithDefault("false")
        boolean enabled();

        /** Most result rows kept in a job's result. */
        @WithDefault("1000")
        int maxRows();

        /** Extra databases a job may name in {@code datasource}, besides the service's own. */
        Map<String, Datasource> datasources();

        /**
         * Roles a job may name in {@code runAs}. Such a job runs on a connection that logs in as the role, so
         * the role's own login (LOGIN, pg_hba.conf, a password) decides, and nothing the statement does can
         * switch back. Empty: {@code runAs} is refused.
         */
        Optional<List<String>> runAsRoles();

        /** Passwords of the {@code runAs} roles that need one, by role name. */
        Map<String, String> runAsPasswords();
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

        /**
         * The unprivileged user programs run as when the service runs as root (through {@code setpriv}), so
         * that they can read neither the service's environment nor its memory.
         */
        @WithDefault("nobody")
        String user();
    }

    interface Http {
        /** {@code http} jobs are accepted (on by default: the host list is the guard). */
        @WithDefault("true")
        boolean enabled();

        /** Hosts {@code http} and {@code download} may reach; empty means any host. */
        Optional<List<String>> allowedHosts();

        /**
         * Networks (CIDR, e.g. {@code 10.1.0.0/16}, or single addresses) that {@code http} and {@code download}
         * may reach although they are loopback, private, link-local or cloud-metadata addresses, which are
         * refused otherwise.
         */
        Optional<List<String>> allowedNetworks();

        /** Longest a request may take: connect, response and the whole body. */
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

        /** Largest file a download may write; a larger one fails and is removed. */
        @WithDefault("1073741824")
        long maxBytes();
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
        /** {@code shutdown} jobs are accepted: off until an operator turns it on, as any API caller could stop a replica. */
        @WithDefault("false")
        boolean enabled();
    }
}
