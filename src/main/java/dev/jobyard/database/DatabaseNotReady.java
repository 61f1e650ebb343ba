package dev.jobyard.database;

import jakarta.inject.Singleton;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;

/** Holds periodic tasks back until the schema is migrated, and stops them during shutdown. */
@Singleton
public class DatabaseNotReady implements Scheduled.SkipPredicate {

    private final DatabaseBootstrap bootstrap;

    DatabaseNotReady(DatabaseBootstrap bootstrap) {
        this.bootstrap = bootstrap;
    }

    @Override
    public boolean test(ScheduledExecution execution) {
        return !bootstrap.isReady();
    }
}
