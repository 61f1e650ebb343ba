package dev.jobyard.cli;

import java.util.Map;

import dev.jobyard.chain.yaml.ImportChainsCommand;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The entry point. No arguments: the service, as before this class existed ({@link Quarkus#run(String...)} waits
 * for a signal). A known command: the application boots as a one-shot tool (no HTTP server, no workers, no
 * leadership, no background tasks, since a command that claimed jobs or fired schedules would share out work it
 * then abandons when it exits), runs the command, and exits with its code. Anything else: usage, exit 2.
 */
@QuarkusMain
public final class JobyardMain {

    /** Exit code of a command line that names no known command or lacks its arguments. */
    public static final int USAGE = 2;

    // Settings a command forces: it serves nothing and runs nothing in the background.
    private static final Map<String, String> ONE_SHOT = Map.of(
            "quarkus.http.host-enabled", "false",
            "jobyard.worker.enabled", "false",
            "jobyard.leader.enabled", "false",
            "quarkus.scheduler.enabled", "false",
            "quarkus.banner.enabled", "false",
            // Its start-up warning is about the API being open, and a command serves no API.
            "quarkus.log.category.\"dev.jobyard.access.AccessMode\".level", "ERROR");

    // Package-private, not private: Quarkus registers the @QuarkusMain class as a bean.
    JobyardMain() {
    }

    public static void main(String... args) {
        if (args.length == 0) {
            Quarkus.run(args);
            return;
        }
        if (!ImportChainsCommand.NAME.equals(args[0])) {
            System.err.println("unknown command '" + args[0] + "'");
            System.err.println(usage());
            System.exit(USAGE);
            return;
        }
        ONE_SHOT.forEach(System::setProperty);
        // Its output is the command's report; the service's INFO lines would bury it (an explicit setting wins).
        if (System.getProperty("quarkus.log.level") == null && System.getenv("QUARKUS_LOG_LEVEL") == null) {
            System.setProperty("quarkus.log.level", "WARN");
        }
        Quarkus.run(ImportChainsCommand.class, args);
    }

    static String usage() {
        return "usage: java -jar quarkus-run.jar                      run the service\n"
                + "       java -jar quarkus-run.jar " + ImportChainsCommand.USAGE;
    }
}
