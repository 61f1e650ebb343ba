package dev.jobyard.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.jobyard.testing.Chains;
import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.JobyardCluster;
import dev.jobyard.testing.ReplicaProcess;

/**
 * pg_timetable's client_name across two real replicas, one started with {@code jobyard.client-name=a} and one with
 * {@code b}: a chain's runs go only to the replica of its client name, a chain without one runs anywhere,
 * {@code runChain(clientName:)} overrides the chain's for one run, and a run for a client name no replica has
 * waits PENDING, visibly, while runs created after it complete around it.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ChainClientNameAcrossReplicasIT {

    private static final Duration RUNS = Duration.ofSeconds(120);

    @RegisterExtension
    final JobyardCluster cluster = JobyardCluster.builder("chainclient").replicas(2)
            .with("jobyard.commands.sql.enabled", "true")
            .withReplica(1, "jobyard.client-name", "a")
            .withReplica(2, "jobyard.client-name", "b")
            .build();

    private String chain(ReplicaProcess via, String queue, String clientName) {
        Map<String, Object> input = new java.util.HashMap<>(Map.of("queue", queue, "live", false,
                "tasks", List.of(Chains.sql("SELECT current_setting('jobyard.chain_run_id')"))));
        if (clientName != null) {
            input.put("clientName", clientName);
        }
        return Chains.createOn(via, input);
    }

    private static List<Long> runs(ReplicaProcess via, String chain, String clientName, int count) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(Chains.runOn(via, chain, clientName));
        }
        return ids;
    }

    private static Set<String> workersOf(Map<Long, String> workers, List<Long> runs) {
        Set<String> of = new TreeSet<>();
        runs.forEach(id -> of.add(workers.get(id)));
        return of;
    }

    @Test
    void runsGoOnlyToTheReplicaOfTheirClientNameAndOneForNoReplicaWaitsPending() {
        List<ReplicaProcess> replicas = cluster.start();
        ReplicaProcess a = replicas.get(0);
        ReplicaProcess b = replicas.get(1);
        String queue = cluster.unique("chainclient");
        String forA = chain(a, queue, "a");
        String forB = chain(b, queue, "b");
        String anywhere = chain(a, queue, null);
        String nowhere = chain(b, queue, "c");
        try {
            // given a run for a client name that no replica has, created first
            long waiting = Chains.runOn(a, nowhere, null);

            // when runs of every other sort are created after it, through both replicas
            List<Long> onA = runs(b, forA, null, 4);
            List<Long> onB = runs(a, forB, null, 4);
            List<Long> free = runs(a, anywhere, null, 6);
            List<Long> aSentToB = runs(a, forA, "b", 2);
            List<Long> nowhereSentToA = runs(b, nowhere, "a", 2);
            List<Long> aSentAnywhere = runs(b, forA, "", 2);
            List<Long> all = new ArrayList<>();
            List.of(onA, onB, free, aSentToB, nowhereSentToA, aSentAnywhere).forEach(all::addAll);
            Map<Long, String> workers = Chains.awaitCompleted(RUNS, all);

            // then each ran where its client name says, each once
            assertEquals(Set.of(a.nodeId()), workersOf(workers, onA), "chain with clientName a");
            assertEquals(Set.of(b.nodeId()), workersOf(workers, onB), "chain with clientName b");
            assertEquals(Set.of(b.nodeId()), workersOf(workers, aSentToB), "runChain(clientName: \"b\") of chain a");
            assertEquals(Set.of(a.nodeId()), workersOf(workers, nowhereSentToA), "runChain(clientName: \"a\") of chain c");
            assertTrue(Set.of(a.nodeId(), b.nodeId()).containsAll(workersOf(workers, free)), workers.toString());
            assertTrue(Set.of(a.nodeId(), b.nodeId()).containsAll(workersOf(workers, aSentAnywhere)), workers.toString());
            assertEquals(Map.of("a", 4L, "b", 2L), clientNamesLogged(onA, aSentToB),
                    "the execution log names each run's client name");

            // and the run for client c, older than all of them, still waits, and shows so
            assertEquals("PENDING", Jdbc.value("SELECT status FROM jobyard.job WHERE id = ?", waiting));
            assertEquals("c", Jdbc.value("SELECT client_name FROM jobyard.job WHERE id = ?", waiting));
            assertEquals(List.of(String.valueOf(waiting)), a.graphql(
                    "query($c: ID!) { chainRuns(chainId: $c, status: PENDING) { nodes { id } } }", Map.of("c", nowhere))
                    .getList("chainRuns.nodes.id"));
            assertEquals(0L, Jdbc.<Long>value("SELECT count(*) FROM jobyard.chain_execution_log WHERE run_id = ?", waiting),
                    "no replica started it");
        } finally {
            a.graphql("mutation($id: ID!) { stopChain(id: $id) { id } }", Map.of("id", nowhere));
            List.of(forA, forB, anywhere, nowhere).forEach(Chains::deleteInDatabase);
        }
    }

    /** How many of the runs' log rows carry each client name. */
    private static Map<String, Long> clientNamesLogged(List<Long> forA, List<Long> toB) {
        List<Long> runs = new ArrayList<>(forA);
        runs.addAll(toB);
        Map<String, Long> counts = new java.util.HashMap<>();
        for (Map<String, Object> row : Jdbc.rows("SELECT client_name, count(*) AS n FROM jobyard.chain_execution_log "
                + "WHERE run_id = ANY(?) GROUP BY client_name", runs)) {
            counts.put((String) row.get("client_name"), (Long) row.get("n"));
        }
        return counts;
    }
}
