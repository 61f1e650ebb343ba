package dev.jobyard.command;

import java.nio.file.Path;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Lets {@code program} and {@code copy_*_program} run only executables on
 * {@code jobyard.commands.program.allowed}. Programs run without a shell, so a shell is only reachable
 * by allow-listing it, and then only as its own executable with its own arguments.
 */
@ApplicationScoped
public class ProgramGuard {

    public static final String KEY = "jobyard.commands.program.allowed";

    private final List<String> allowed;

    ProgramGuard(CommandsConfig config) {
        this.allowed = config.program().allowed().orElse(List.of());
    }

    /** The executable, if allowed; an entry given by name allows that name only, by absolute path that path only. */
    public String check(String field, String command) {
        if (command == null || command.isBlank()) {
            throw Payload.bad(field, "is required");
        }
        Path path = Path.of(command);
        boolean byName = path.getNameCount() == 1 && !path.isAbsolute();
        if (!byName && !path.isAbsolute()) {
            throw Payload.bad(field, "must be a program name or an absolute path, got '" + command + "'");
        }
        String normalized = byName ? command : path.normalize().toString();
        if (!allowed.contains(normalized)) {
            throw Payload.bad(field, "'" + command + "' is not an allowed program; an operator adds it to " + KEY
                    + (allowed.isEmpty() ? " (empty)" : " " + allowed));
        }
        return normalized;
    }
}
