package dev.jobyard.durable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Await;
import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A sleep holds no worker thread: 1,000 tasks that each sleep 2 s on a queue of concurrency 2 (durable-two, test
 * profile) all finish within seconds, where threads held through the sleeps would need 1,000 s.
 */
@QuarkusTest
class ThousandSleepersTest {

    @Test
    void aThousandTwoSecondSleepsOnTwoWorkersFinishWithinSeconds() {
        String tag = Jobs.uniqueQueue();
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            inputs.add(Map.of("kind", "durable_script", "queue", "durable-two", "labels", Map.of("run", tag),
                    "payload", Map.of("ops", List.of(Map.of("op", "sleep", "key", "s", "ms", 2000)))));
        }
        long start = System.nanoTime();
        List<String> ids = Jobs.createAll(inputs);
        assertEquals(1000, ids.size());

        long done = Await.until(Duration.ofSeconds(60), () -> Jdbc.<Long>value(
                "SELECT count(*) FROM jobyard.job_history WHERE labels->>'run' = ? AND status = 'COMPLETED'", tag),
                n -> n == 1000, "1,000 sleepers to complete");
        long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();

        System.out.printf("ThousandSleepersTest: 1000 sleepers of 2 s on 2 workers took %d s%n", seconds);
        assertEquals(1000, done);
        assertTrue(seconds < 60);
    }
}
