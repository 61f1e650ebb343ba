package dev.jobyard.bench;

import java.nio.file.Path;

/** What every workload needs: the sizes, the database for facts, the way to get a fresh service, and where to write. */
public record BenchContext(BenchSettings settings, BenchDatabase database, Deployment deployment) {

    public Sizes sizes() {
        return settings.sizes();
    }

    public Path outDir() {
        return settings.outDir();
    }
}
