package dev.jobyard.engine;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Await;
import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Queues that appear only in jobs are bounded: one fetcher thread serves them all, at most
 * jobyard.worker.max-unconfigured-queues at a time, idle ones give their threads back, and metrics tag at
 * most jobyard.metrics.max-queue-labels of them by name.
 */
@QuarkusTest
@TestProfile(ManyQueuesTest.Defaults.class)
class ManyQueuesTest {

    static final int PLACES = 32;
    static final int LABELS = 50;

    /** The shipped bounds (the test profile raises the label bound for the other tests), and quick idling. */
    public static class Defaults implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("jobyard.worker.max-unconfigured-queues", String.valueOf(PLACES),
                    "jobyard.metrics.max-queue-labels", String.valueOf(LABELS),
                    "jobyard.worker.queue-idle-timeout", "1s",
                    "jobyard.worker.queue-discovery-interval", "1s");
        }
    }

    @Test
    void twoThousandQueueNamesInOneCallRunEveryJobOnBoundedThreadsAndMetrics() {
        // Given one createJobs call that names 2,000 queues no configuration knows,
        String prefix = "many-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            inputs.add(Map.of("kind", "noop", "queue", prefix + i));
        }
        Jobs.createAll(inputs);

        // when the replica works through them, watching its threads all along,
        AtomicInteger peakFetchers = new AtomicInteger();
        AtomicInteger peakWorkers = new AtomicInteger();
        long finished = Await.until(Duration.ofMinutes(3), () -> {
            peakFetchers.accumulateAndGet(threads("-fetcher"), Math::max);
            peakWorkers.accumulateAndGet(threads("-worker-"), Math::max);
            return count("SELECT count(*) AS n FROM jobyard.job_history WHERE queue LIKE ? AND status = 'COMPLETED'",
                    prefix + "%");
        }, n -> n == 2000, "all 2,000 jobs to complete");

        // then every job ran, on one shared fetcher beside those of the configured queues (default, narrow, served, durable-two) and
        // never more worker threads than the configured queues' plus the places' concurrency,
        assertEquals(2000, finished);
        assertTrue(peakFetchers.get() <= 5, "fetcher threads at peak: " + peakFetchers.get());
        assertTrue(peakWorkers.get() <= 8 + 1 + 4 + 2 + PLACES * 8, "worker threads at peak: " + peakWorkers.get());
        // the idle queues give their threads back,
        Await.until(Duration.ofSeconds(30), () -> threads(prefix), n -> n == 0, "the queues' threads to end");
        // and /q/metrics names at most the bound of them, adding up the rest under "(other)".
        String metrics = given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract().asString();
        Set<String> named = new TreeSet<>();
        Matcher tag = Pattern.compile("queue=\"(" + Pattern.quote(prefix) + "[0-9]+)\"").matcher(metrics);
        while (tag.find()) {
            named.add(tag.group(1));
        }
        assertTrue(named.size() <= LABELS, named.size() + " queues tagged by name");
        assertTrue(Pattern.compile("(?m)^jobyard_jobs_completed_total\\{[^}]*queue=\"\\(other\\)\"").matcher(metrics).find(),
                () -> "the other queues' jobs are counted under (other): " + metrics.lines()
                        .filter(l -> l.startsWith("jobyard_jobs_completed_total")).limit(5).toList());
        assertTrue(metrics.length() < 1_000_000, "/q/metrics is " + metrics.length() + " characters");
    }

    @Test
    void aQueueWhoseNotificationWasMissedIsFoundByDiscovery() {
        // Given a job inserted behind the service's back (no notification), in a queue no replica serves,
        String queue = Jobs.uniqueQueue();
        long id = count("SELECT nextval('jobyard.job_id_seq') AS n");
        Jdbc.update("INSERT INTO jobyard.job (id, queue, kind) VALUES (?, ?, 'noop')", id, queue);

        // when discovery looks, then the queue is served and its job runs.
        Jobs.awaitStatus(String.valueOf(id), "COMPLETED", Duration.ofSeconds(30));
    }

    private static int threads(String nameContains) {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("jobyard-") && t.getName().contains(nameContains))
                .count();
    }

    private static long count(String sql, Object... args) {
        return ((Number) Jdbc.rows(sql, args).get(0).get("n")).longValue();
    }
}
