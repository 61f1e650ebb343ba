package dev.jobyard.durable;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.jobyard.maintenance.RetentionCleaner;
import dev.jobyard.testing.Durable;
import dev.jobyard.testing.Jdbc;
import io.quarkus.test.junit.QuarkusTest;

/** Emitted events are kept as long as history is, then deleted with it: the table does not grow forever. */
@QuarkusTest
class DurableEventRetentionTest {

    @Inject
    RetentionCleaner cleaner;

    private static long events(String name) {
        return ((Number) Jdbc.<Object>value("SELECT count(*) FROM jobyard.durable_event WHERE name = ?", name)).longValue();
    }

    @Test
    void eventsOlderThanTheRetentionGoAndNewerOnesStay() {
        // Given an event emitted 40 days ago (backdated) and one emitted now,
        String old = "retention-old-" + UUID.randomUUID();
        String fresh = "retention-fresh-" + UUID.randomUUID();
        Durable.emit(old, Map.of());
        Durable.emit(fresh, Map.of());
        Jdbc.update("UPDATE jobyard.durable_event SET emitted_at = now() - interval '40 days' WHERE name = ?", old);
        assertEquals(1, events(old));

        // when history older than 30 days is removed,
        cleaner.removeOlderThan(Duration.ofDays(30));

        // then the old event went with it and the fresh one stays.
        assertEquals(0, events(old));
        assertEquals(1, events(fresh));
    }
}
