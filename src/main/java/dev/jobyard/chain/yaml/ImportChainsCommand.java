package dev.jobyard.chain.yaml;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.jobyard.chain.definition.ChainDefinition;
import dev.jobyard.common.JobyardException;
import io.quarkus.runtime.QuarkusApplication;

/**
 * {@code import-chains FILE [--replace]}: imports a pg_timetable YAML file through {@link ChainImports}, as the
 * {@code importChains} mutation does (all or nothing, errors with the YAML line, CONFLICT on an existing name
 * unless {@code --replace}), prints what it imported and the warnings, and exits: 0 imported, 1 refused
 * (nothing stored; also Quarkus's code when the application cannot start), 2 a bad command line or an unreadable file. Started by {@code dev.jobyard.cli.JobyardMain}.
 */
public class ImportChainsCommand implements QuarkusApplication {

    public static final String NAME = "import-chains";
    public static final String USAGE = NAME + " FILE [--replace]  import a pg_timetable YAML file of chains, then exit";

    static final int IMPORTED = 0;
    static final int REFUSED = 1;
    static final int BAD_COMMAND_LINE = 2;

    private final ChainImports imports;

    ImportChainsCommand(ChainImports imports) {
        this.imports = imports;
    }

    @Override
    public int run(String... args) {
        return run(args, System.out, System.err);
    }

    int run(String[] args, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>(List.of(args).subList(args.length > 0 && NAME.equals(args[0]) ? 1 : 0, args.length));
        boolean replace = rest.remove("--replace");
        if (rest.size() != 1 || rest.get(0).startsWith("--")) {
            err.println("usage: " + USAGE);
            return BAD_COMMAND_LINE;
        }
        Path file = Path.of(rest.get(0));
        String yaml;
        try {
            yaml = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println(NAME + ": cannot read " + file + ": " + e);
            return BAD_COMMAND_LINE;
        }
        ChainImports.Imported imported;
        try {
            imported = imports.importYaml(yaml, replace);
        } catch (JobyardException e) {
            // The mutation's error (BAD_USER_INPUT with the YAML line, CONFLICT …); nothing was stored.
            err.println(NAME + ": " + file + ": nothing imported: " + e.code() + ": " + e.getMessage());
            return REFUSED;
        }
        for (String warning : imported.warnings()) {
            err.println(NAME + ": warning: " + warning);
        }
        out.println("imported " + imported.chains().size() + " chain(s) from " + file + (replace ? " (replacing)" : "") + ":");
        for (ChainDefinition d : imported.chains()) {
            out.println("  " + d.chain().name + " (id " + d.chain().id + ", " + d.tasks().size() + " task(s))");
        }
        return IMPORTED;
    }
}
