package dev.jobyard.bench;

import dev.jobyard.config.JobyardConfig;
import io.smallrye.config.WithDefault;

/**
 * The engine's own defaults for the settings the benchmark varies, read from {@link JobyardConfig}'s
 * annotations so that the report states what "batched" meant at the measured commit.
 */
public final class EngineDefaults {

    private EngineDefaults() {
    }

    public static String claimBatchSize() {
        return worker("claimBatchSize");
    }

    public static String completeBatchSize() {
        return worker("completeBatchSize");
    }

    public static String prefetch() {
        return worker("prefetch");
    }

    public static String prefetchHorizon() {
        return worker("prefetchHorizon");
    }

    public static String pollInterval() {
        return worker("pollInterval");
    }

    private static String worker(String method) {
        try {
            WithDefault value = JobyardConfig.Worker.class.getMethod(method).getAnnotation(WithDefault.class);
            return value == null ? "none" : value.value();
        } catch (NoSuchMethodException e) {
            return "unknown (JobyardConfig.Worker." + method + " is gone)";
        }
    }
}
