package dev.jobyard.chaos;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.jobyard.testing.Jdbc;

/**
 * What became of the jobs a client created, read from the database once they have had time to finish. A
 * {@code log} job's handler commits one {@code job_log} line per run, tagged with its attempt, before the
 * job's result is written: so a line written after the job's {@code completed_at}, one of a later attempt than
 * the archived one, or two lines of one attempt are runs of a handler after the job's result was written (or of
 * one attempt twice). A job whose lease expired and that ran again at the next attempt was rescued, which
 * at-least-once delivery allows: it is counted apart.
 */
record JobLedger(int created, long completed, long failed, long stillActive, long vanished, long rescued,
        long ranAfterResult, long attemptRanTwice, long completedWithoutItsRun) {

    /** Waits up to {@code drain} for every job in {@code ids} to be archived, then counts. */
    static JobLedger of(Jdbc db, List<Long> ids, Duration drain) {
        long deadline = System.nanoTime() + drain.toNanos();
        while (System.nanoTime() < deadline && archived(db, ids) < ids.size()) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        Map<String, Object> row = db.one("""
                WITH c AS (SELECT DISTINCT unnest(?::bigint[]) AS id),
                     h AS (SELECT h.id, h.status, h.attempt, h.completed_at FROM jobyard.job_history h JOIN c USING (id)),
                     a AS (SELECT j.id FROM jobyard.job j JOIN c USING (id)),
                     l AS (SELECT l.job_id, l.attempt, l.created_at FROM jobyard.job_log l JOIN c ON c.id = l.job_id)
                SELECT (SELECT count(*) FROM h WHERE status = 'COMPLETED') AS completed,
                       (SELECT count(*) FROM h WHERE status <> 'COMPLETED') AS failed,
                       (SELECT count(*) FROM a) AS active,
                       (SELECT count(*) FROM c WHERE NOT EXISTS (SELECT 1 FROM h WHERE h.id = c.id)
                                                AND NOT EXISTS (SELECT 1 FROM a WHERE a.id = c.id)) AS vanished,
                       (SELECT count(*) FROM h WHERE attempt > 1) AS rescued,
                       (SELECT count(DISTINCT h.id) FROM h JOIN l ON l.job_id = h.id
                         WHERE l.created_at > h.completed_at OR l.attempt > h.attempt) AS ran_after_result,
                       (SELECT count(DISTINCT job_id) FROM (SELECT job_id FROM l GROUP BY job_id, attempt
                                                             HAVING count(*) > 1) d) AS attempt_ran_twice,
                       (SELECT count(*) FROM h WHERE status = 'COMPLETED' AND NOT EXISTS
                          (SELECT 1 FROM l WHERE l.job_id = h.id AND l.attempt = h.attempt)) AS completed_without_run
                """, ids);
        return new JobLedger(ids.size(), n(row, "completed"), n(row, "failed"), n(row, "active"), n(row, "vanished"),
                n(row, "rescued"), n(row, "ran_after_result"), n(row, "attempt_ran_twice"),
                n(row, "completed_without_run"));
    }

    /** Acknowledged to the client but never finished: gone from both tables, still active, or completed with no run. */
    long lost() {
        return vanished + stillActive + completedWithoutItsRun;
    }

    /** Jobs whose handler ran again after their result was written (or ran one attempt twice). */
    long ranTwice() {
        return ranAfterResult + attemptRanTwice;
    }

    private static long archived(Jdbc db, List<Long> ids) {
        return db.<Long>scalar("SELECT count(*) FROM jobyard.job_history WHERE id = ANY(?)", ids);
    }

    private static long n(Map<String, Object> row, String column) {
        return ((Number) row.get(column)).longValue();
    }
}
