package dev.jobyard.bench;

import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/** One line per step on standard output, so that a long run shows where it is. */
public final class Progress {

    private Progress() {
    }

    public static void log(String message) {
        System.out.println("[bench " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "] " + message);
        System.out.flush();
    }
}
