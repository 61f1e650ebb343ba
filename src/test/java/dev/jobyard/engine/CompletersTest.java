package dev.jobyard.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.jobyard.job.Fence;

/**
 * A replica's result writers seen as one: claims are held back on the results waiting in all of them together, and
 * every result waiting anywhere keeps its lease renewed. (The writers are not started here, so what is submitted
 * stays waiting; that they write, in parallel, is what every other test of the engine runs on.)
 */
class CompletersTest {

    private static final int BATCH = 5;

    @Test
    void claimsAreHeldBackOnceTwoBatchesWaitInAllTheWritersTogether() {
        // Given two writers of batches of 5
        Completers completers = new Completers(null, null, 2, BATCH, 1, 60_000);

        // When nine results wait, spread over both (keys 0 and 1 go to different writers)
        for (int i = 0; i < 9; i++) {
            completers.submit(success(i), (long) (i % 2));
        }
        // Then they keep up; and no longer at ten, though neither writer alone holds two batches
        assertTrue(completers.keepsUp(), "9 waiting, below two batches");
        completers.submit(success(9), 1L);
        assertFalse(completers.keepsUp(), "10 waiting in all: two batches");
        assertEquals(10, completers.backlog().waiting());
    }

    @Test
    void everyResultWaitingInAnyWriterKeepsItsLease() {
        // Given three writers, and results for keys that go to each of them, and plain jobs' (no key)
        Completers completers = new Completers(null, null, 3, BATCH, 1, 60_000);
        List<Long> keys = List.of(0L, 1L, 2L, 3L, 7L, 42L);

        // When each waits there
        for (long key : keys) {
            completers.submit(success(100 + key), key);
        }
        completers.submit(success(200), null);
        completers.submit(success(201), null);

        // Then the lease renewer sees every one of them
        assertEquals(List.of(100L, 101L, 102L, 103L, 107L, 142L, 200L, 201L),
                completers.unwrittenFences().stream().map(Fence::jobId).sorted().toList());
    }

    private static Outcome success(long jobId) {
        return new Outcome.Succeeded(new Fence(jobId, 1, "completers-test", 1), null, true);
    }
}
