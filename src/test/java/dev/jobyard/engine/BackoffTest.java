package dev.jobyard.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1));

    @Test
    void doublesWithEachAttemptWithinHalfToFullOfTheExponential() {
        assertEquals(500, backoff.delayMillis(1, 0.0));
        assertEquals(1000, backoff.delayMillis(1, 1.0));
        assertEquals(1000, backoff.delayMillis(2, 0.0));
        assertEquals(6000, backoff.delayMillis(4, 0.5));
    }

    @Test
    void isCappedAtTheMaximumEvenForHugeAttemptNumbers() {
        assertEquals(60_000, backoff.delayMillis(7, 1.0));
        assertEquals(60_000, backoff.delayMillis(500, 1.0));
        assertTrue(backoff.delayMillis(Integer.MAX_VALUE, 0.0) >= 30_000);
    }

    @Test
    void jitterStaysInsideTheBounds() {
        for (int i = 0; i < 1000; i++) {
            long delay = backoff.delayMillis(3);
            assertTrue(delay >= 2000 && delay <= 4000, "delay " + delay);
        }
    }
}
