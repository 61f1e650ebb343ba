package dev.jobyard.leadership;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.jobyard.testing.Await;
import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.JobyardCluster;
import dev.jobyard.testing.ReplicaProcess;

/**
 * A leader that dies without releasing its lease is replaced once the lease runs out: the other
 * replica takes it, with the next fencing token.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LeadershipFailoverIT {

    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final Duration RENEW = Duration.ofSeconds(1);
    private static final String WORKERS = "{ workers { nodeId leader } }";
    private static final String LEASE_ROW = "SELECT node_id, token FROM jobyard.leader_lease WHERE name = 'leader'";

    @RegisterExtension
    final JobyardCluster cluster = JobyardCluster.builder("lead").replicas(2)
            .with("jobyard.leader.lease-time", LEASE.toSeconds() + "s")
            .with("jobyard.leader.renew-interval", RENEW.toSeconds() + "s")
            .with("jobyard.heartbeat-interval", "1s")
            .build();

    @Test
    void whenTheLeaderIsKilledTheOtherReplicaLeadsWithinTheLeaseTime() {
        // given two replicas, one of them the leader (a previous holder's lease may have to run out first)
        cluster.start();
        ReplicaProcess observer = cluster.replicas().get(0);
        String leaderId = Await.until(Duration.ofSeconds(20), () -> leaders(observer),
                leaders -> leaders.size() == 1, "one of " + cluster.nodeIds() + " to lead").get(0);
        Map<String, Object> before = Jdbc.row(LEASE_ROW);
        assertEquals(leaderId, before.get("node_id"));
        ReplicaProcess leader = cluster.replica(leaderId);
        ReplicaProcess survivor = cluster.others(leader).get(0);

        // when the leader dies without releasing its lease
        leader.kill9();

        // then within the lease time, one renewal and some slack, the survivor says it leads
        Await.until(LEASE.plus(RENEW).plusSeconds(2), () -> leaders(survivor),
                List.of(survivor.nodeId())::equals, survivor.nodeId() + " to take over");

        // and the lease moved to it with the next fencing token
        assertEquals(Map.of("node_id", survivor.nodeId(), "token", (Long) before.get("token") + 1), Jdbc.row(LEASE_ROW));
    }

    /** This test's replicas that {@code replica} reports as leader (others may linger in the shared registry). */
    private List<String> leaders(ReplicaProcess replica) {
        List<Map<String, Object>> workers = replica.graphql(WORKERS).getList("workers");
        return workers.stream().filter(w -> Boolean.TRUE.equals(w.get("leader")))
                .map(w -> (String) w.get("nodeId")).filter(cluster.nodeIds()::contains).toList();
    }
}
