package dev.jobyard.testing;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls a condition until it holds or the time is up; the failure says what was last seen. */
public final class Await {

    private Await() {
    }

    public static <T> T until(Duration timeout, Supplier<T> probe, java.util.function.Predicate<T> done, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            last = probe.get();
            if (done.test(last)) {
                return last;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("Timed out after " + timeout + " waiting for " + what + "; last seen: " + last);
    }
}
