package dev.jobyard.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.jobyard.testing.Await;
import dev.jobyard.testing.Chains;
import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.JobyardCluster;
import dev.jobyard.testing.ReplicaProcess;

/**
 * kill -9 of the replica running a chain, while a task of the chain's transaction holds (pg_sleep): the transaction
 * is lost with its connection, so nothing of the run's transactional tasks is committed, while the autonomous
 * task's work stays; the survivor rescues the run after the lease and runs it again from the first task to
 * completion, once; and the execution log shows both attempts under their two txids.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ChainSurvivesReplicaKillIT {

    private static final Duration LEASE = Duration.ofSeconds(4);

    @RegisterExtension
    final JobyardCluster cluster = JobyardCluster.builder("chainkill").replicas(2).shortTimings(LEASE)
            .with("jobyard.commands.sql.enabled", "true")
            .build();

    @Test
    void theLostTransactionLeavesNothingAndTheRescuedRunCompletesOnce() {
        List<ReplicaProcess> replicas = cluster.start();
        String queue = cluster.unique("chainkill");
        String tag = "chainkill_" + UUID.randomUUID().toString().substring(0, 8);
        String rows = "public." + tag + "_rows";
        String attempts = "public." + tag + "_attempts";
        Jdbc.update("CREATE TABLE " + rows + " (v text, txid bigint)");
        Jdbc.update("CREATE TABLE " + attempts + " (run text)");
        // The first attempt holds in the chain's transaction (2 minutes, far beyond the lease); the second does not.
        String hold = "SELECT pg_sleep(CASE WHEN (SELECT count(*) FROM " + attempts + ") = 1 THEN 120 ELSE 0 END) AS " + tag;
        String chain = Chains.createOn(replicas.get(0), Map.of("queue", queue, "live", false, "maxAttempts", 2, "tasks", List.of(
                Map.of("name", "count", "autonomous", true,
                        "command", "INSERT INTO " + attempts + " VALUES (current_setting('jobyard.chain_run_id'))"),
                Map.of("name", "first", "command", "INSERT INTO " + rows + " VALUES ('first', txid_current())"),
                Map.of("name", "hold", "command", hold),
                Map.of("name", "last", "command", "INSERT INTO " + rows + " VALUES ('last', txid_current())"))));
        try {
            long run = Chains.runOn(replicas.get(0), chain, null);

            // when the replica running it is killed while 'hold' sleeps inside the chain transaction
            Await.until(Duration.ofSeconds(90), () -> holding(tag), n -> n == 1, "the run's transaction holding in pg_sleep");
            assertEquals(0L, Jdbc.<Long>value("SELECT count(*) FROM " + rows), "'first' is not committed while the run holds");
            String victimId = Jdbc.value("SELECT worker FROM jobyard.job WHERE id = ?", run);
            ReplicaProcess victim = cluster.replica(victimId);
            victim.kill9();
            ReplicaProcess survivor = cluster.others(victim).get(0);

            // then the server ends the orphaned backend (the chain connection checks its client), rolling it back
            Await.until(Duration.ofSeconds(20), () -> holding(tag), n -> n == 0, "the orphaned chain transaction to end");

            // and the survivor rescues the run after the lease and completes it
            assertEquals(survivor.nodeId(), Chains.awaitCompleted(Duration.ofSeconds(120), List.of(run)).get(run));
            Map<String, Object> done = Jdbc.row("SELECT attempt, errors::text AS errors FROM jobyard.job_history WHERE id = ?", run);
            assertEquals(2, done.get("attempt"));
            assertTrue(((String) done.get("errors")).contains("lease expired: worker " + victimId), done.toString());

            // exactly once: one transaction committed both transactional tasks; the first attempt's autonomous work stays
            List<Map<String, Object>> committed = Jdbc.rows("SELECT v, txid FROM " + rows + " ORDER BY v");
            assertEquals(List.of("first", "last"), committed.stream().map(r -> r.get("v")).toList());
            Object txid = committed.get(0).get("txid");
            assertEquals(txid, committed.get(1).get("txid"));
            assertEquals(2L, Jdbc.<Long>value("SELECT count(*) FROM " + attempts + " WHERE run = ?", String.valueOf(run)));
            assertEquals(1L, Jdbc.<Long>value("SELECT count(*) FROM jobyard.job_history WHERE schedule_id = ?", Long.parseLong(chain)),
                    "one run of the chain, not a second one");

            // and the log tells it: attempt 1 (its own txid) got through 'count' and 'first', the kill cut 'hold'
            // short, so it has no row; attempt 2, under the committed txid, ran all four
            List<Map<String, Object>> log = Jdbc.rows("SELECT task_name, txid, return_code FROM jobyard.chain_execution_log "
                    + "WHERE run_id = ? ORDER BY id", run);
            assertEquals(List.of("count", "first", "count", "first", "hold", "last"),
                    log.stream().map(r -> r.get("task_name")).toList(), log.toString());
            assertTrue(log.stream().allMatch(r -> Integer.valueOf(0).equals(r.get("return_code"))), log.toString());
            Object lost = log.get(0).get("txid");
            assertEquals(List.of(lost, lost, txid, txid, txid, txid), log.stream().map(r -> r.get("txid")).toList());
            assertTrue(!txid.equals(lost), "two transactions: the lost one and the committed one");
        } finally {
            // Should the orphan outlive the test (a server without client_connection_check_interval), end it.
            Jdbc.rows("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE ? AND pid <> pg_backend_pid()",
                    "%AS " + tag + "%");
            Chains.deleteInDatabase(chain);
            Jdbc.update("DROP TABLE IF EXISTS " + rows + ", " + attempts);
        }
    }

    /** Backends running this test's pg_sleep. */
    private static long holding(String tag) {
        return Jdbc.<Long>value("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE ? "
                + "AND pid <> pg_backend_pid()", "%pg_sleep%AS " + tag + "%");
    }
}
