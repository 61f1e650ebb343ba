package dev.jobyard.command;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

/** The directories commands may touch: files (copy, download, attachments) and programs' working directories. */
@ApplicationScoped
public class Confinement {

    public static final String FILES_KEY = "jobyard.commands.files.directories";
    public static final String PROGRAM_KEY = "jobyard.commands.program.directories";

    private final ConfinedPaths files;
    private final ConfinedPaths workingDirectories;

    Confinement(CommandsConfig config) {
        this.files = new ConfinedPaths(FILES_KEY, config.files().directories().orElse(List.of()));
        this.workingDirectories = new ConfinedPaths(PROGRAM_KEY, config.program().directories().orElse(List.of()));
    }

    public ConfinedPaths files() {
        return files;
    }

    public ConfinedPaths workingDirectories() {
        return workingDirectories;
    }
}
