package dev.jobyard.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.common.ConflictException;
import dev.jobyard.common.NotFoundException;
import dev.jobyard.config.JobyardConfig;
import dev.jobyard.database.Sql;
import dev.jobyard.event.EventPublisher;
import dev.jobyard.engine.WorkerPool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Queues exist implicitly (named in configuration or by a job). Pausing is a row in {@code queue}
 * that every replica's claim reads, so a pause holds on all replicas at once; deleting a queue without
 * jobs removes that row.
 */
@ApplicationScoped
public class QueueService {

    private static final String SET_PAUSED = """
            INSERT INTO jobyard.queue (name, paused, updated_at) VALUES ($1, $2, now())
            ON CONFLICT (name) DO UPDATE SET paused = EXCLUDED.paused, updated_at = now()""";
    // %s is empty for every queue, or a filter on one queue ($1).
    private static final String OVERVIEW = """
            SELECT name, bool_or(paused) AS paused, sum(pending)::bigint AS pending, sum(running)::bigint AS running,
                   sum(completed)::bigint AS completed, sum(failed)::bigint AS failed, sum(cancelled)::bigint AS cancelled
              FROM (SELECT name, paused, 0 AS pending, 0 AS running, 0 AS completed, 0 AS failed, 0 AS cancelled
                      FROM jobyard.queue WHERE true %1$s
                    UNION ALL
                    SELECT queue, false, count(*) FILTER (WHERE status = 'PENDING'), count(*) FILTER (WHERE status = 'RUNNING'),
                           0, 0, 0 FROM jobyard.job WHERE true %2$s GROUP BY queue
                    UNION ALL
                    SELECT queue, false, 0, 0, count(*) FILTER (WHERE status = 'COMPLETED'),
                           count(*) FILTER (WHERE status = 'FAILED'), count(*) FILTER (WHERE status = 'CANCELLED')
                      FROM jobyard.job_history WHERE true %2$s GROUP BY queue) parts
             GROUP BY name ORDER BY name""";
    private static final String DELETE = """
            WITH active AS (SELECT count(*) AS n FROM jobyard.job WHERE queue = $1),
                 gone AS (DELETE FROM jobyard.queue q WHERE q.name = $1 AND (SELECT n FROM active) = 0 RETURNING q.name)
            SELECT (SELECT n FROM active) AS active, EXISTS (SELECT 1 FROM gone) AS deleted,
                   EXISTS (SELECT 1 FROM jobyard.job_history WHERE queue = $1) AS has_history""";
    private static final String ALL_QUEUES = OVERVIEW.formatted("", "");
    private static final String ONE_QUEUE = OVERVIEW.formatted("AND name = $1", "AND queue = $1");

    private final Sql sql;
    private final EventPublisher events;
    private final WorkerPool pool;
    private final JobyardConfig config;

    QueueService(Sql sql, EventPublisher events, WorkerPool pool, JobyardConfig config) {
        this.sql = sql;
        this.events = events;
        this.pool = pool;
        this.config = config;
    }

    public record QueueInfo(String name, int concurrency, boolean paused, long pending, long running, long completed,
            long failed, long cancelled) {
    }

    /** A queue's settings without its counts. */
    public record QueueState(String name, int concurrency, boolean paused) {
    }

    public QueueState pause(String name) {
        return setPaused(name, true);
    }

    public QueueState resume(String name) {
        return setPaused(name, false);
    }

    private QueueState setPaused(String name, boolean paused) {
        QueueNames.check("name", name);
        sql.inTransaction(tx -> {
            tx.query(SET_PAUSED, Tuple.of(name, paused));
            events.queueChanged(tx, name, paused);
            return null;
        });
        return new QueueState(name, concurrency(name), paused);
    }

    /**
     * Deletes a queue that has no pending or running job: its row (the paused flag) goes, so the name is
     * no longer listed once its history is gone too. CONFLICT while it has jobs or is configured, NOT_FOUND
     * when nothing knows the name.
     */
    public QueueInfo delete(String name) {
        QueueNames.check("name", name);
        if (configured().contains(name)) {
            throw new ConflictException("name: queue '" + name + "' is configured (jobyard.queues." + name
                    + " or the default queue); remove it from the configuration instead");
        }
        Row row = sql.inTransaction(tx -> {
            // The row lock keeps a pause or resume of the same queue out until this commits.
            tx.query("SELECT 1 FROM jobyard.queue WHERE name = $1 FOR UPDATE", Tuple.of(name));
            return tx.query(DELETE, Tuple.of(name)).iterator().next();
        });
        long active = row.getLong("active");
        if (active > 0) {
            throw new ConflictException("name: queue '" + name + "' still has " + active
                    + " pending or running jobs; cancel them or let them finish first");
        }
        if (!row.getBoolean("deleted") && !row.getBoolean("has_history")) {
            throw new NotFoundException("queue", name);
        }
        return info(name); // what is left: the counts of its history
    }

    private List<String> configured() {
        List<String> configured = new ArrayList<>(config.queues().keySet());
        configured.add(QueueNames.DEFAULT);
        return configured;
    }

    /** One queue with its counts (those of history are a scan of the queue's history). */
    public QueueInfo info(String name) {
        for (Row row : sql.query(ONE_QUEUE, Tuple.of(name))) {
            return info(row);
        }
        return new QueueInfo(name, concurrency(name), false, 0, 0, 0, 0, 0);
    }

    public List<QueueInfo> list() {
        Map<String, QueueInfo> byName = new TreeMap<>();
        for (Row row : sql.query(ALL_QUEUES)) {
            QueueInfo info = info(row);
            byName.put(info.name(), info);
        }
        for (String name : configured()) {
            byName.putIfAbsent(name, new QueueInfo(name, concurrency(name), false, 0, 0, 0, 0, 0));
        }
        return new ArrayList<>(byName.values());
    }

    private QueueInfo info(Row row) {
        String name = row.getString("name");
        return new QueueInfo(name, concurrency(name), row.getBoolean("paused"), row.getLong("pending"),
                row.getLong("running"), row.getLong("completed"), row.getLong("failed"), row.getLong("cancelled"));
    }

    private int concurrency(String name) {
        return pool.concurrency(name);
    }
}
