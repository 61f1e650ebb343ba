package dev.jobyard.command.copy;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Singleton;

import dev.jobyard.command.CommandRules;
import dev.jobyard.command.CommandsConfig;
import dev.jobyard.command.Confinement;
import dev.jobyard.command.ProgramGuard;
import dev.jobyard.command.Secrets;
import dev.jobyard.command.Watchdog;
import dev.jobyard.command.program.ProgramSandbox;
import dev.jobyard.command.program.ProgramSpec;
import dev.jobyard.command.program.RunningProgram;
import dev.jobyard.handler.FailedWithOutput;
import dev.jobyard.handler.JobContext;
import dev.jobyard.handler.JobHandler;
import io.vertx.core.json.JsonObject;

/**
 * {@code copy_from_program} and {@code copy_to_program}: {@code {"table" or "query" (see {@link CopySpec}), "command": "...",
 * "args": [...], "cwd", "env"}}: a COPY streamed from a program's stdout or into its stdin. The COPY
 * commits only if the program exits 0. The program comes from the program allow-list. The beans are
 * singletons, not client-proxied, because they share a base class with final fields.
 */
public final class CopyProgramCommands {

    static final String ENABLED = "jobyard.commands.copy-program.enabled";

    private CopyProgramCommands() {
    }

    abstract static class Base implements JobHandler {

        final CommandsConfig config;
        final ProgramGuard guard;
        final Confinement confinement;
        final Secrets secrets;
        final Copier copier;
        final ProgramSandbox sandbox;

        Base(CommandsConfig config, ProgramGuard guard, Confinement confinement, Secrets secrets, Copier copier, ProgramSandbox sandbox) {
            this.config = config;
            this.sandbox = sandbox;
            this.guard = guard;
            this.confinement = confinement;
            this.secrets = secrets;
            this.copier = copier;
        }

        abstract CopySpec spec(JsonObject payload);

        /** Whether the program's stdout is captured into the result (else the COPY reads it). */
        abstract boolean captureStdout();

        /** Runs the COPY against the started program; returns the rows copied. */
        abstract long copy(CopySpec spec, RunningProgram program, JobContext context, Copier.Check exitedWell) throws Exception;

        @Override
        public void validate(JsonObject payload) {
            CommandRules.requireEnabled(config.copyProgram().enabled(), kind(), ENABLED);
            spec(payload);
            ProgramSpec.read(kind(), payload, guard, confinement.workingDirectories(), secrets);
        }

        @Override
        public JsonObject handle(JobContext context) throws Exception {
            // The settings of the replica that runs the job decide, not those of the one that created it.
            validate(context.payload());
            CopySpec copySpec = spec(context.payload());
            ProgramSpec spec = ProgramSpec.read(kind(), context.payload(), guard, confinement.workingDirectories(), secrets);
            AtomicInteger exit = new AtomicInteger(-1);
            try (RunningProgram program = RunningProgram.start(spec, sandbox, secrets, config.maxOutputBytes(), captureStdout(), !captureStdout())) {
                // The copy blocks on the program's pipe, where interruption does not reach: this watcher kills
                // the program when the attempt is stopped, which ends the pipe and so the copy.
                Watchdog watcher = Watchdog.watch("copy-watch-" + program.pid(), context, 0, program::killTree);
                try {
                    long rows = copy(copySpec, program, context, () -> {
                        exit.set(program.waitFor());
                        return exit.get() == 0;
                    });
                    JsonObject output = program.output(exit.get()).put("rows", rows);
                    if (exit.get() != 0) {
                        throw new FailedWithOutput("exit code " + exit.get() + "; the COPY was rolled back", output.put("rows", 0));
                    }
                    return output;
                } catch (FailedWithOutput e) {
                    throw e;
                } catch (Exception e) {
                    program.killTree();
                    throw new FailedWithOutput(e.getMessage(), program.output(exit.get() < 0 ? null : exit.get()), e);
                } finally {
                    watcher.close();
                }
            }
        }
    }

    @Singleton
    public static class FromProgram extends Base {

        FromProgram(CommandsConfig config, ProgramGuard guard, Confinement confinement, Secrets secrets, Copier copier,
                ProgramSandbox sandbox) {
            super(config, guard, confinement, secrets, copier, sandbox);
        }

        @Override
        public String kind() {
            return "copy_from_program";
        }

        @Override
        CopySpec spec(JsonObject payload) {
            return CopySpec.copyIn(payload);
        }

        @Override
        boolean captureStdout() {
            return false;
        }

        @Override
        long copy(CopySpec spec, RunningProgram program, JobContext context, Copier.Check exitedWell) throws Exception {
            return copier.copyIn(spec, program.stdout(), context, exitedWell);
        }
    }

    @Singleton
    public static class ToProgram extends Base {

        ToProgram(CommandsConfig config, ProgramGuard guard, Confinement confinement, Secrets secrets, Copier copier,
                ProgramSandbox sandbox) {
            super(config, guard, confinement, secrets, copier, sandbox);
        }

        @Override
        public String kind() {
            return "copy_to_program";
        }

        @Override
        CopySpec spec(JsonObject payload) {
            return CopySpec.copyOut(payload);
        }

        @Override
        boolean captureStdout() {
            return true;
        }

        @Override
        long copy(CopySpec spec, RunningProgram program, JobContext context, Copier.Check exitedWell) throws Exception {
            return copier.copyOut(spec, program.stdin(), context, exitedWell);
        }
    }
}
