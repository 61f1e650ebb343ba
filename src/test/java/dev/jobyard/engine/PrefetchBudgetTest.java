package dev.jobyard.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** A queue holds claimed jobs ahead of its threads only as far as its workers' current pace justifies. */
class PrefetchBudgetTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final PrefetchBudget budget = new PrefetchBudget(200, Duration.ofMillis(100), nanos::get);

    @Test
    void nothingFinishedYetMeansClaimingOnlyForIdleThreads() {
        assertEquals(0, budget.allowance());
        advance(1000);
        assertEquals(0, budget.allowance());
    }

    @Test
    void aFloodOfShortJobsEarnsTheWholePrefetchWithinAFewClaims() {
        // 10,000 jobs a second: 1,000 within the 100 ms horizon, capped at 200.
        for (int ms = 0; ms < 200; ms += 10) {
            finish(100);
            advance(10);
            budget.allowance();
        }
        assertEquals(200, budget.allowance());
    }

    @Test
    void slowJobsEarnAtMostAFewWaitingJobs() {
        // 16 workers on 1-second jobs: 16 a second, 1.6 within the horizon.
        for (int s = 0; s < 10; s++) {
            finish(16);
            advance(1000);
            budget.allowance();
        }
        assertTrue(budget.allowance() <= 1, "allowance " + budget.allowance());
    }

    @Test
    void theAllowanceFadesOnceJobsStopFinishing() {
        for (int ms = 0; ms < 500; ms += 10) {
            finish(100);
            advance(10);
            budget.allowance();
        }
        advance(2000);
        assertEquals(0, budget.allowance());
    }

    @Test
    void aPrefetchOfZeroNeverHoldsJobsAhead() {
        PrefetchBudget off = new PrefetchBudget(0, Duration.ofMillis(100), nanos::get);
        for (int i = 0; i < 1000; i++) {
            off.jobFinished();
        }
        advance(10);
        assertEquals(0, off.allowance());
    }

    private void finish(int jobs) {
        for (int i = 0; i < jobs; i++) {
            budget.jobFinished();
        }
    }

    private void advance(long millis) {
        nanos.addAndGet(millis * 1_000_000L);
    }
}
