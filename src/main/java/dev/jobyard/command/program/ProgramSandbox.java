package dev.jobyard.command.program;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Startup;

import dev.jobyard.command.CommandsConfig;
import dev.jobyard.command.Secrets;

/**
 * How a program is started so that it cannot reach the service's secrets. Its environment is built
 * from nothing: {@code PATH}, {@code LANG}, {@code TZ} (the service's values, which hold no secret) and
 * {@code HOME}, plus the payload's {@code env}. When the service runs as root, the program runs as
 * {@code jobyard.commands.program.user} through {@code setpriv} (no supplementary groups, no
 * capabilities, no new privileges, killed if the service dies), so that the kernel refuses it
 * {@code /proc/<service pid>/environ} and {@code /proc/<service pid>/mem}. A root service without
 * {@code setpriv} does not run programs at all. A service that is not root runs programs as its own user, so
 * it makes itself non-dumpable as it starts ({@link NonDumpable}); where that fails it refuses programs.
 * Created at start-up, so that no program can start before the flag is set.
 */
@Startup
@ApplicationScoped
public class ProgramSandbox {

    private static final Logger LOG = Logger.getLogger(ProgramSandbox.class);
    static final String USER_KEY = "jobyard.commands.program.user";
    private static final List<String> SETPRIV = List.of("/usr/bin/setpriv", "/bin/setpriv");

    private final String user;
    private final boolean root;
    /** Why programs are refused on this replica, or null. */
    private final String refusal;

    ProgramSandbox(CommandsConfig config) {
        this.user = config.program().user();
        this.root = runsAsRoot();
        this.refusal = !root && (config.program().enabled() || config.copyProgram().enabled()) ? protectSelf() : null;
    }

    private static String protectSelf() {
        return NonDumpable.apply().map(reason -> {
            String refusal = "programs are refused on this replica: it does not run as root, so they would run as its own"
                    + " user, and it could not make its environment and memory unreadable to them (" + reason + ")";
            LOG.error(refusal + " (docs/security.md)");
            return refusal;
        }).orElseGet(() -> {
            LOG.infof("Programs run as this service's own user; the service is non-dumpable, so they cannot read "
                    + "/proc/%d/environ or its memory (docs/security.md)", ProcessHandle.current().pid());
            return null;
        });
    }

    /** A process builder for the program: its command line (under setpriv when root) and its environment. */
    ProcessBuilder builder(ProgramSpec spec, Secrets secrets) {
        if (refusal != null) {
            throw new IllegalStateException(refusal);
        }
        List<String> line = new ArrayList<>();
        Map<String, String> inherited = System.getenv();
        String home;
        if (root) {
            String[] account = account(user);
            line.add(setpriv());
            line.addAll(List.of("--reuid=" + account[2], "--regid=" + account[3], "--clear-groups", "--no-new-privs",
                    "--inh-caps=-all", "--bounding-set=-all", "--pdeathsig=KILL", "--"));
            home = account[5];
        } else {
            home = inherited.getOrDefault("HOME", "/");
        }
        line.addAll(spec.commandLine());
        ProcessBuilder builder = new ProcessBuilder(line);
        Map<String, String> env = builder.environment();
        env.clear();
        for (String name : List.of("PATH", "LANG", "TZ")) {
            if (inherited.containsKey(name)) {
                env.put(name, inherited.get(name));
            }
        }
        env.put("HOME", home);
        spec.env().forEach((name, value) -> env.put(name, secrets.resolve(value)));
        return builder;
    }

    private static String setpriv() {
        for (String path : SETPRIV) {
            if (Files.isExecutable(Path.of(path))) {
                return path;
            }
        }
        throw new IllegalStateException("the service runs as root and programs are never run as root, but setpriv"
                + " (util-linux) is not installed to run them as " + USER_KEY);
    }

    /** The user's /etc/passwd entry, split: name, password, uid, gid, gecos, home, shell. */
    private static String[] account(String user) {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                String[] fields = line.split(":", -1);
                if (fields.length >= 7 && (fields[0].equals(user) || fields[2].equals(user))) {
                    if (fields[2].equals("0")) {
                        break;
                    }
                    return fields;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /etc/passwd to find " + USER_KEY + "=" + user, e);
        }
        throw new IllegalStateException(USER_KEY + "=" + user + " is not an unprivileged user of this system");
    }

    private static boolean runsAsRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
