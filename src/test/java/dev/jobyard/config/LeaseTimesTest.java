package dev.jobyard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The lease arithmetic that docs/concepts.md states: interrupt, abandon, deadline, expiry, in that order. */
class LeaseTimesTest {

    @Test
    void theDefaultsGiveUpAHandlerWellBeforeItsLeaseCanExpire() {
        LeaseTimes times = LeaseTimes.of(Duration.ofSeconds(30), Optional.empty(), Optional.empty(), Duration.ofSeconds(5));

        assertEquals(Duration.ofSeconds(5), times.margin());
        assertEquals(Duration.ofSeconds(20), times.interruptAfter());
        assertEquals(Duration.ofMillis(22_500), times.abandonAfter());
        assertEquals(Duration.ofSeconds(25), times.deadline());
        assertEquals(Duration.ofSeconds(15), times.statementTimeout());
        assertEquals(Duration.ofSeconds(5), times.renewInterval());
        assertEquals(Duration.ofSeconds(1), times.checkInterval());
    }

    @Test
    void theAbandonLandsBeforeTheDeadlineEvenWhenTheCheckComesOneIntervalLate() {
        for (long leaseMillis : new long[] { 600, 3_000, 30_000, 600_000 }) {
            LeaseTimes times = LeaseTimes.of(Duration.ofMillis(leaseMillis), Optional.empty(), Optional.empty(),
                    Duration.ofSeconds(5));
            assertTrue(times.interruptAfter().compareTo(times.abandonAfter()) < 0);
            assertTrue(times.abandonAfter().plus(times.checkInterval()).compareTo(times.deadline()) <= 0, times::toString);
            assertTrue(times.deadline().compareTo(times.lease()) < 0);
            assertTrue(times.statementTimeout().compareTo(times.interruptAfter()) < 0, times::toString);
            // at least two renewals fit before anything is interrupted
            assertTrue(times.renewInterval().multipliedBy(2).compareTo(times.interruptAfter()) < 0, times::toString);
        }
    }

    @Test
    void aMarginOfHalfTheLeaseOrMoreIsRefusedByName() {
        var e = assertThrows(IllegalArgumentException.class, () -> LeaseTimes.of(Duration.ofSeconds(30),
                Optional.of(Duration.ofSeconds(15)), Optional.empty(), Duration.ofSeconds(5)));
        assertTrue(e.getMessage().startsWith("jobyard.lease-margin"), e.getMessage());
    }

    @Test
    void aStatementTimeoutReachingTheInterruptPointIsRefusedByName() {
        var e = assertThrows(IllegalArgumentException.class, () -> LeaseTimes.of(Duration.ofSeconds(30),
                Optional.empty(), Optional.of(Duration.ofSeconds(20)), Duration.ofSeconds(5)));
        assertTrue(e.getMessage().startsWith("jobyard.statement-timeout"), e.getMessage());
    }
}
