package dev.jobyard.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.jobyard.testing.Await;
import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.JobyardCluster;
import dev.jobyard.testing.ReplicaProcess;
import io.restassured.path.json.JsonPath;

/**
 * kill -9 of the replica that runs a flow's tasks: the survivor's rescuer ends their attempts, the flow retries
 * each as a new job there, and the run completes with exactly one output per task index.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class FlowSurvivesReplicaKillIT {

    @RegisterExtension
    final JobyardCluster cluster = JobyardCluster.builder("flowkill").replicas(2).shortTimings(Duration.ofSeconds(3)).build();

    @Test
    void aRunCompletesWithOneOutputPerIndexAfterTheReplicaRunningItsTasksIsKilled() {
        List<ReplicaProcess> replicas = cluster.start();
        String queue = cluster.unique("flowkill");
        String slug = queue.replace('-', '_');
        replicas.get(0).graphql("mutation($in: FlowInput!) { createFlow(input: $in) { id } }", Map.of("in", Map.of(
                "slug", slug, "queue", queue, "baseDelaySeconds", 0, "steps", List.of(
                        Map.of("slug", "slow", "type", "MAP", "kind", "sleep", "payload", Map.of("ms", 4000)),
                        Map.of("slug", "tag", "type", "MAP", "kind", "echo", "dependsOn", List.of("slow"))))));
        List<Integer> input = IntStream.range(0, 8).boxed().toList();
        String run = replicas.get(0).graphql("mutation($s: String!, $in: JSON) { startFlow(slug: $s, input: $in) { id } }",
                Map.of("s", slug, "in", input)).getString("startFlow.id");

        // when the replica running the most of the map's tasks is killed mid-run
        List<Map<String, Object>> busiest = Await.until(Duration.ofSeconds(60), () -> Jdbc.rows("""
                SELECT worker, count(*) AS n FROM jobyard.job WHERE labels->>'flowRun' = ? AND status = 'RUNNING'
                 GROUP BY worker ORDER BY count(*) DESC LIMIT 1""", run), r -> !r.isEmpty(), "tasks running");
        ReplicaProcess victim = cluster.replica((String) busiest.get(0).get("worker"));
        victim.kill9();
        ReplicaProcess survivor = cluster.others(victim).get(0);

        // then the run completes on the survivor, one output per index, in index order
        JsonPath done = Await.until(Duration.ofSeconds(120), () -> survivor.graphql(
                "query($id: ID!) { flowRun(id: $id) { status output steps { stepSlug tasks { index attempts status } } } }",
                Map.of("id", run)).setRootPath("data.flowRun"), r -> "COMPLETED".equals(r.getString("status")), "run " + run + " COMPLETED");
        List<Map<String, Object>> tagged = done.getList("output.tag");
        assertEquals(8, tagged.size());
        for (int i = 0; i < 8; i++) {
            assertEquals(i, tagged.get(i).get("index"));
        }
        assertEquals(IntStream.range(0, 8).boxed().toList(), done.getList("steps[0].tasks.index"));
        Number retried = Jdbc.value("SELECT count(*) FROM jobyard.flow_task WHERE run_id = ?::bigint AND step_slug = 'slow' AND attempts > 1", run);
        assertEquals(true, retried.intValue() >= 1, "the killed replica's tasks were retried");
        Number completed = Jdbc.value("SELECT count(*) FROM jobyard.job_history WHERE labels->>'flowRun' = ? AND labels->>'step' = 'slow' "
                + "AND status = 'COMPLETED'", run);
        assertEquals(8, completed.intValue(), "exactly one completed job per index");
    }
}
