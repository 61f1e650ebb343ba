package dev.jobyard.node;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.jobyard.config.JobyardConfig;
import dev.jobyard.database.DatabaseNotReady;
import dev.jobyard.database.Sql;
import dev.jobyard.engine.WorkerPool;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Each replica's heartbeat row in {@code worker_node}, which the {@code workers} query reads. */
@ApplicationScoped
public class NodeRegistry {

    private static final Logger LOG = Logger.getLogger(NodeRegistry.class);
    private static final String UPSERT = """
            INSERT INTO jobyard.worker_node (node_id, host, started_at, heartbeat_at, queues, running)
            VALUES ($1, $2, $3, now(), $4, $5)
            ON CONFLICT (node_id) DO UPDATE SET heartbeat_at = now(), queues = EXCLUDED.queues, running = EXCLUDED.running""";
    // A replica is live while its heartbeat is younger than three intervals.
    private static final String LIVE = """
            SELECT node_id, host, started_at, heartbeat_at, queues, running FROM jobyard.worker_node
             WHERE heartbeat_at > now() - $1 * interval '1 millisecond' ORDER BY started_at, node_id""";
    private static final String PRUNE = "DELETE FROM jobyard.worker_node WHERE heartbeat_at < now() - interval '1 hour'";

    private final Sql sql;
    private final NodeIdentity node;
    private final WorkerPool pool;
    private final JobyardConfig config;

    NodeRegistry(Sql sql, NodeIdentity node, WorkerPool pool, JobyardConfig config) {
        this.sql = sql;
        this.node = node;
        this.pool = pool;
        this.config = config;
    }

    public record Node(String nodeId, String host, OffsetDateTime startedAt, OffsetDateTime heartbeatAt,
            Map<String, Integer> queues, int running) {
    }

    @Scheduled(every = "${jobyard.heartbeat-interval:5s}", skipExecutionIf = DatabaseNotReady.class,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void heartbeat() {
        try {
            JsonArray queues = new JsonArray();
            pool.concurrencies().forEach((name, c) -> queues.add(new JsonObject().put("name", name).put("concurrency", c)));
            sql.query(UPSERT, Tuple.of(node.id(), node.host(), node.startedAt(), queues, pool.runningCount()));
            sql.query(PRUNE);
        } catch (RuntimeException e) {
            LOG.warnf("Heartbeat failed (%s)", e.getMessage());
        }
    }

    void onStop(@Observes @Priority(20) ShutdownEvent event) {
        try {
            sql.query("DELETE FROM jobyard.worker_node WHERE node_id = $1", Tuple.of(node.id()));
        } catch (RuntimeException e) {
            LOG.debug("Could not remove this replica from worker_node; its heartbeat goes stale by itself", e);
        }
    }

    public List<Node> liveNodes() {
        List<Node> nodes = new ArrayList<>();
        for (Row row : sql.query(LIVE, Tuple.of(config.heartbeatInterval().toMillis() * 3))) {
            Map<String, Integer> queues = new java.util.TreeMap<>();
            JsonArray array = row.getJsonArray("queues");
            for (int i = 0; i < array.size(); i++) {
                queues.put(array.getJsonObject(i).getString("name"), array.getJsonObject(i).getInteger("concurrency"));
            }
            nodes.add(new Node(row.getString("node_id"), row.getString("host"), row.getOffsetDateTime("started_at"),
                    row.getOffsetDateTime("heartbeat_at"), queues, row.getInteger("running")));
        }
        return nodes;
    }
}
