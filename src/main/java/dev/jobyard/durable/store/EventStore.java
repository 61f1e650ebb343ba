package dev.jobyard.durable.store;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.database.Sql;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Every statement on {@code durable_event}: the events emitted, for the {@code events} query. */
@ApplicationScoped
public class EventStore {

    /** An emitted event and how many waiting tasks it woke. */
    public record Emitted(long id, String name, String payload, int woke, OffsetDateTime at) {
    }

    private final Sql sql;

    EventStore(Sql sql) {
        this.sql = sql;
    }

    /** {@code wokeQueues}: the queues of the tasks it woke. */
    public long add(Sql.Tx tx, String name, String payloadJson, int woke, List<String> wokeQueues) {
        return tx.query("INSERT INTO jobyard.durable_event (name, payload, woke, woke_queues)"
                + " VALUES ($1, $2::text::jsonb, $3, $4) RETURNING id",
                Tuple.of(name, payloadJson, woke, wokeQueues.toArray(String[]::new))).iterator().next().getLong(0);
    }

    /**
     * Events newest first with ids below {@code beforeId}, of one name or all; with {@code queueLikes}, only those that
     * woke a task in a queue matching one of them.
     */
    public List<Emitted> list(String name, long beforeId, int limit, List<String> queueLikes) {
        List<Emitted> list = new ArrayList<>();
        for (Row row : sql.query("SELECT id, name, payload::text AS payload, woke, emitted_at FROM jobyard.durable_event"
                + " WHERE ($1::text IS NULL OR name = $1) AND id < $2"
                + " AND ($4::text[] IS NULL OR EXISTS (SELECT 1 FROM unnest(woke_queues) AS q WHERE q LIKE ANY($4)))"
                + " ORDER BY id DESC LIMIT $3",
                Tuple.of(name, beforeId, limit, queueLikes == null ? null : queueLikes.toArray(String[]::new)))) {
            list.add(new Emitted(row.getLong("id"), row.getString("name"), row.getString("payload"),
                    row.getInteger("woke"), row.getOffsetDateTime("emitted_at")));
        }
        return list;
    }
}
