package dev.jobyard.chain.yaml;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.chain.definition.ChainDefinition;
import dev.jobyard.access.QueueGrants;
import dev.jobyard.chain.definition.ChainService;
import dev.jobyard.common.BadInputException;
import dev.jobyard.common.NotFoundException;

/** Importing a YAML file of chains (all or nothing) and exporting chains to one. */
@ApplicationScoped
public class ChainImports {

    /** Export everything up to this many chains; a larger set is exported by names. */
    static final int MAX_EXPORT = 10_000;

    private final ChainService chains;

    ChainImports(ChainService chains) {
        this.chains = chains;
    }

    public record Imported(List<ChainDefinition> chains, List<String> warnings) {
    }

    public Imported importYaml(String yaml, boolean replace) {
        ChainYamlReader.Result read = ChainYamlReader.read(yaml);
        try {
            return new Imported(chains.createAll(read.chains(), replace, i -> "chains[" + i + "]"), read.warnings());
        } catch (BadInputException e) {
            throw read.locate(e);
        }
    }

    /**
     * The named chains, or all when {@code names} is null, as pg_timetable YAML; only those whose queue is
     * {@code granted} (another queue's chain is NOT_FOUND by name, as if it did not exist).
     */
    public String export(List<String> names, QueueGrants granted) {
        List<ChainDefinition> selected = new ArrayList<>();
        if (names == null) {
            chains.list(null, 0, MAX_EXPORT).stream().filter(c -> granted.allows(c.schedule().queue)).forEach(selected::add);
        } else {
            for (String name : names) {
                selected.add(chains.find(null, name).filter(c -> granted.allows(c.schedule().queue))
                        .orElseThrow(() -> new NotFoundException("chain", "'" + name + "'")));
            }
        }
        return ChainYamlWriter.write(selected);
    }
}
