package dev.jobyard.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.jobyard.testing.Await;
import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.JobyardCluster;
import dev.jobyard.testing.ReplicaProcess;
import dev.jobyard.testing.TestDatabase;

/**
 * A job never runs without a live lease: a replica cut off from the database for longer than the lease
 * (its login set to NOLOGIN, its connections terminated) interrupts the handlers it can no longer renew and
 * gives them up before the leader may rescue them; the survivor runs them again, and every job ends with
 * exactly one handler run whose result was written.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class CutOffReplicaGivesUpItsJobsIT {

    private static final Duration LEASE = Duration.ofSeconds(6);
    private static final int JOBS_PER_REPLICA = 8;
    private static final int SLEEP_MS = 20_000;
    private static final String CREATE = "mutation($inputs: [JobInput!]!) { createJobs(inputs: $inputs) { id } }";
    // A login of the cut-off replica's own, a member of the test's role (so it has its privileges and acts as it).
    private static final String ROLE = "jobyard_lease_cut_" + Long.toHexString(System.nanoTime() & 0xffffff);
    private static final String PASSWORD = "lease-cut";

    @RegisterExtension
    final JobyardCluster cluster = JobyardCluster.builder("cut").replicas(1).shortTimings(LEASE)
            .withReplica(2, "quarkus.datasource.username", ROLE)
            .withReplica(2, "quarkus.datasource.password", PASSWORD)
            .build();

    @AfterEach
    void dropRole() {
        // Everything the victim created belongs to the test's role (its sessions SET ROLE to it), so the role owns
        // nothing and a role with CREATEROLE may drop it: no superuser's REASSIGN OWNED needed.
        Jdbc.update("ALTER ROLE " + ROLE + " LOGIN");
        Jdbc.update("DROP ROLE IF EXISTS " + ROLE);
    }

    /**
     * Forbids the role new logins and ends its sessions. The test's role may not signal another role's backends
     * (that takes membership or pg_signal_backend, which CI's role does not have), so a session of the victim's
     * own role ends its siblings, then itself.
     */
    private static void cutOff(String role) {
        TestDatabase.Target test = TestDatabase.target();
        try (Connection own = DriverManager.getConnection(test.jdbcUrl(), role, PASSWORD)) {
            Jdbc.update("ALTER ROLE " + role + " NOLOGIN");
            try (Statement statement = own.createStatement()) {
                // back to the login itself (RESET would restore the role set for it): signalling a backend takes
                // the privileges of its login, not of the role its sessions act as
                statement.execute("SET ROLE NONE");
                statement.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        + "WHERE usename = session_user AND pid <> pg_backend_pid()");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not cut off " + role + ": " + e.getMessage(), e);
        }
    }

    @Test
    void aReplicaCutOffLongerThanTheLeaseGivesUpItsHandlersBeforeTheSurvivorRescuesThem() {
        // given two replicas, the second logging in with a role of its own, each running 8 jobs of 20 s
        Jdbc.update("CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + PASSWORD + "' IN ROLE " + TestDatabase.target().user());
        // its sessions act as the test's role, so that what the victim creates (history partitions, say) is not left
        // owned by a login the test drops
        Jdbc.update("ALTER ROLE " + ROLE + " SET role = '" + TestDatabase.target().user() + "'");
        // the survivor first: on a new database it creates the schema, which must belong to the test's role, not to
        // the victim's login (whose objects the test's role could not use)
        ReplicaProcess survivor = cluster.start().get(0);
        ReplicaProcess victim = cluster.startAnother();
        List<ReplicaProcess> replicas = List.of(survivor, victim);
        String queue = cluster.unique("cut");
        List<Long> ids = new ArrayList<>();
        for (ReplicaProcess replica : replicas) {
            List<Map<String, Object>> inputs = new ArrayList<>();
            for (int i = 0; i < JOBS_PER_REPLICA; i++) {
                inputs.add(Map.of("queue", queue, "kind", "sleep", "payload", Map.of("ms", SLEEP_MS), "maxAttempts", 3));
            }
            replica.graphql(CREATE, Map.of("inputs", inputs)).getList("createJobs.id", String.class)
                    .forEach(id -> ids.add(Long.parseLong(id)));
        }
        Await.until(Duration.ofSeconds(30), () -> (Long) Jdbc.value(
                "SELECT count(*) FROM jobyard.job WHERE id = ANY(?) AND status = 'RUNNING' AND attempt = 1", ids),
                running -> running == ids.size(), ids.size() + " jobs to run");
        Map<String, List<Long>> byWorker = Jdbc.rows("SELECT id, worker FROM jobyard.job WHERE id = ANY(?)", ids).stream()
                .collect(Collectors.groupingBy(r -> (String) r.get("worker"), TreeMap::new,
                        Collectors.mapping(r -> (Long) r.get("id"), Collectors.toList())));
        assertEquals(new TreeSet<>(cluster.nodeIds()), byWorker.keySet(), () -> "both replicas run jobs: " + byWorker);
        List<Long> cutOff = byWorker.get(victim.nodeId());
        assertEquals(cutOff.size(), victim.runningJobs());

        // when the second replica is cut off from the database for longer than the lease
        cutOff(ROLE);
        long cutAt = System.nanoTime();
        // watching, until the leader has rescued all its jobs, that none is rescued while the replica still runs it:
        // the database is read first, the replica after, so a rescue seen with handlers still running is a breach
        List<String> breaches = new ArrayList<>();
        Await.until(Duration.ofSeconds(90), () -> {
            long rescued = Jdbc.value("""
                    SELECT count(*) FROM (SELECT status, attempt FROM jobyard.job WHERE id = ANY(?)
                                          UNION ALL SELECT status, attempt FROM jobyard.job_history WHERE id = ANY(?)) j
                     WHERE j.attempt > 1 OR j.status <> 'RUNNING'""", cutOff, cutOff);
            int stillRunning = victim.runningJobs();
            if (rescued > 0 && stillRunning > 0) {
                breaches.add(rescued + " rescued while the cut-off replica still ran " + stillRunning + " handlers, "
                        + Duration.ofNanos(System.nanoTime() - cutAt).toMillis() + " ms into the cut");
            }
            return rescued;
        }, rescued -> rescued == cutOff.size() && System.nanoTime() - cutAt >= LEASE.multipliedBy(2).toNanos(),
                "the leader to rescue the cut-off replica's jobs, the cut lasting two leases");
        Jdbc.update("ALTER ROLE " + ROLE + " LOGIN");

        // then the cut-off replica had interrupted every handler it could not renew, before any was rescued
        assertEquals(List.of(), breaches);
        for (long id : cutOff) {
            assertEquals(1, victim.logLinesContaining("Could not renew the lease of job " + id + " attempt 1").size(),
                    () -> "job " + id + " should have been interrupted once:\n" + String.join("\n", victim.logTail(60)));
        }

        // and every job ends COMPLETED, once: the survivor's at their first attempt, the cut-off ones rescued and
        // run again, the rescue blaming the cut-off replica's lease
        Await.until(Duration.ofSeconds(120), () -> (Long) Jdbc.value(
                "SELECT count(*) FROM jobyard.job_history WHERE id = ANY(?)", ids), n -> n == ids.size(), "every job to end");
        assertEquals(List.of(), Jdbc.rows("""
                SELECT id, status, attempt, worker, errors FROM jobyard.job_history
                 WHERE id = ANY(?) AND (status <> 'COMPLETED' OR result->>'sleptMs' IS NULL
                       OR CASE WHEN id = ANY(?) THEN attempt <> 2 OR errors->0->>'error' NOT LIKE 'lease expired: worker ' || ? || '%'
                               ELSE attempt <> 1 OR errors <> '[]' END)""", ids, cutOff, victim.nodeId()));
        // and no abandoned handler produced a result afterwards: none was even offered to be written
        assertEquals(List.of(), victim.logLinesContaining("Rejected a late result"));
        assertEquals(Set.of(), Set.copyOf(survivor.logLinesContaining("Rejected a late result")));
    }
}
