package dev.jobyard.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.jobyard.job.ClaimedJob;
import dev.jobyard.testing.Await;
import io.vertx.core.json.JsonObject;

/**
 * A job announced as runnable is claimed by the thread that heard the announcement, when a worker is idle, and
 * one claim at a time whoever sends it: the fetcher thread waits for a claim sent elsewhere, and shutdown waits
 * for it to hand its jobs out. The claims are the runner's own protocol, so the database is left out here; the
 * claim statement itself is W2's and the engine tests'.
 */
class HeardJobClaimTest {

    private final List<String> claimedOn = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<List<ClaimedJob>>> answers = new CopyOnWriteArrayList<>();
    private final CountDownLatch ran = new CountDownLatch(1);
    private Fetcher fetcher;
    private QueueRunner runner;

    @AfterEach
    void stop() {
        if (fetcher != null) {
            fetcher.stop();
        }
        if (runner != null) {
            runner.workers().shutdownNow();
        }
    }

    /** A runner of 2 workers whose claims wait for the test to answer them, each answer being one job. */
    private QueueRunner runner(boolean fetcherRuns) {
        fetcher = new Fetcher("heard-test-fetcher");
        Function<Integer, CompletionStage<List<ClaimedJob>>> claimer = want -> {
            claimedOn.add(Thread.currentThread().getName());
            CompletableFuture<List<ClaimedJob>> answer = new CompletableFuture<>();
            answers.add(answer);
            return answer;
        };
        runner = new QueueRunner("heard", 2, 10, new PrefetchBudget(0, Duration.ZERO), Duration.ofMinutes(10),
                Duration.ofSeconds(1), fetcher, claimer, (r, job, since) -> () -> {
                    ran.countDown();
                    r.jobExited();
                }, () -> true);
        fetcher.add(runner);
        if (fetcherRuns) {
            fetcher.start();
        }
        return runner;
    }

    private static ClaimedJob job(long id) {
        return new ClaimedJob(id, "heard", "noop", null, new JsonObject(), new JsonObject(), 1, 1, null, "w", 1, 0, null,
                false);
    }

    @Test
    void aJobHeardOfIsClaimedOnTheThreadThatHeardItWithoutTheFetcher() throws InterruptedException {
        // Given a runner whose fetcher thread never runs
        QueueRunner runner = runner(false);

        // When a job is heard of on this thread
        runner.heard();

        // Then this thread sent the claim, and the claimed job ran on a worker once answered
        assertEquals(List.of(Thread.currentThread().getName()), claimedOn);
        answers.get(0).complete(List.of(job(1)));
        assertTrue(ran.await(5, TimeUnit.SECONDS), "the claimed job ran");
    }

    @Test
    void whileAClaimIsUnderWayNobodyElseClaimsAndTheFetcherGoesOnWhenItIsAnswered() {
        // Given a runner whose fetcher thread runs, and a claim heard of and not answered yet
        QueueRunner runner = runner(true);
        Await.until(Duration.ofSeconds(5), () -> claimedOn.size(), n -> n == 1, "the fetcher's first claim (at start)");
        answers.get(0).complete(List.of()); // the queue was empty then
        Await.until(Duration.ofSeconds(5), () -> runner.isClaiming(), c -> !c, "the first claim to end");
        runner.heard();
        assertEquals(2, claimedOn.size());

        // When more jobs are heard of and the fetcher is woken meanwhile
        runner.heard();
        runner.wake();

        // Then no second claim is sent while the first is under way
        assertEquals(2, claimedOn.size(), "claims sent while one was under way: " + claimedOn);
        assertTrue(runner.isClaiming());

        // And once it is answered with a full batch of what it asked for, the fetcher claims again
        answers.get(1).complete(List.of(job(2), job(3)));
        List<String> after = Await.until(Duration.ofSeconds(5), () -> List.copyOf(claimedOn), c -> c.size() == 3,
                "the fetcher's next claim");
        assertEquals("heard-test-fetcher", after.get(2));
    }

    @Test
    void stoppingWaitsForAClaimUnderWayAndNoClaimStartsAfterIt() throws InterruptedException {
        // Given a claim heard of and not answered yet
        QueueRunner runner = runner(false);
        runner.heard();
        assertTrue(runner.isClaiming());

        // When claiming stops while it is answered a moment later
        runner.stopClaiming();
        CompletableFuture.runAsync(() -> answers.get(0).complete(List.of(job(4))),
                CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));
        runner.awaitClaim(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));

        // Then its job was handed to a worker before stopping returned
        assertFalse(runner.isClaiming());
        assertTrue(ran.await(5, TimeUnit.SECONDS), "the job claimed before stopping ran");
        // And a job heard of afterwards is not claimed here
        runner.heard();
        assertEquals(1, claimedOn.size());
    }
}
