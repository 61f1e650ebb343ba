package dev.jobyard.command.program;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.command.CommandRules;
import dev.jobyard.command.CommandsConfig;
import dev.jobyard.command.Confinement;
import dev.jobyard.command.ProgramGuard;
import dev.jobyard.command.Secrets;
import dev.jobyard.handler.FailedWithOutput;
import dev.jobyard.handler.JobContext;
import dev.jobyard.handler.JobHandler;
import io.vertx.core.json.JsonObject;

/**
 * {@code program}: {@code {"command": "pg_dump", "args": [...], "cwd": "...", "env": {...}, "stdin": "..."}}.
 * Runs the executable directly (no shell); exit code 0 is success. The result, and for a failed or
 * stopped attempt its stored output, holds the exit code and the captured stdout and stderr.
 */
@ApplicationScoped
public class ProgramCommand implements JobHandler {

    private final CommandsConfig config;
    private final ProgramGuard guard;
    private final Confinement confinement;
    private final Secrets secrets;
    private final ProgramSandbox sandbox;

    ProgramCommand(CommandsConfig config, ProgramGuard guard, Confinement confinement, Secrets secrets, ProgramSandbox sandbox) {
        this.config = config;
        this.sandbox = sandbox;
        this.guard = guard;
        this.confinement = confinement;
        this.secrets = secrets;
    }

    @Override
    public String kind() {
        return "program";
    }

    @Override
    public void validate(JsonObject payload) {
        CommandRules.requireEnabled(config.program().enabled(), kind(), "jobyard.commands.program.enabled");
        ProgramSpec.read(kind(), payload, guard, confinement.workingDirectories(), secrets);
    }

    @Override
    public JsonObject handle(JobContext context) throws Exception {
        // The settings of the replica that runs the job decide, not those of the one that created it.
        validate(context.payload());
        ProgramSpec spec = ProgramSpec.read(kind(), context.payload(), guard, confinement.workingDirectories(), secrets);
        try (RunningProgram program = RunningProgram.start(spec, sandbox, secrets, config.maxOutputBytes(), true, true)) {
            int exit;
            try {
                exit = program.waitFor();
            } catch (InterruptedException e) {
                throw new FailedWithOutput("program stopped", program.output(null), e);
            }
            JsonObject output = program.output(exit);
            if (exit != 0) {
                throw new FailedWithOutput("exit code " + exit, output);
            }
            return output;
        }
    }
}
