package dev.jobyard.bench.workload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

import dev.jobyard.bench.BenchSettings;

/**
 * A writable copy of the peers' floor scripts under the output directory: ../shared/peers is read-only and the
 * scripts write results/ and node_modules/ next to themselves. Copied again each run so they stay the originals.
 */
final class PeersScratch {

    private static final List<String> PARTS = List.of("baseline-pgbench", "baseline-notify", "common");

    private PeersScratch() {
    }

    static Path prepare(BenchSettings settings) throws IOException {
        if (!settings.peersAvailable()) {
            throw new IllegalStateException("the peers' scripts are not at " + settings.peersDir().toAbsolutePath()
                    + " (set -Dbench.peers-dir)");
        }
        Path scratch = settings.outDir().resolve("peers").toAbsolutePath();
        for (String part : PARTS) {
            Path from = settings.peersDir().resolve(part);
            try (Stream<Path> files = Files.walk(from)) {
                for (Path source : (Iterable<Path>) files.filter(p -> !p.toString().contains("node_modules"))::iterator) {
                    Path target = scratch.resolve(part).resolve(from.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                        target.toFile().setWritable(true, true);
                    }
                    target.toFile().setWritable(true, true);
                }
            }
        }
        Files.createDirectories(scratch.resolve("results"));
        return scratch;
    }
}
