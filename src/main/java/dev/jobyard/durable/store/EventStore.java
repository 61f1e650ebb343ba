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

    public long add(Sql.Tx tx, String name, String payloadJson, int woke) {
        return tx.query("INSERT INTO jobyard.durable_event (name, payload, woke) VALUES ($1, $2::text::jsonb, $3) RETURNING id",
                Tuple.of(name, payloadJson, woke)).iterator().next().getLong(0);
    }

    /** Events newest first with ids below {@code beforeId}, of one name or all. */
    public List<Emitted> list(String name, long beforeId, int limit) {
        List<Emitted> list = new ArrayList<>();
        for (Row row : sql.query("SELECT id, name, payload::text AS payload, woke, emitted_at FROM jobyard.durable_event"
                + " WHERE ($1::text IS NULL OR name = $1) AND id < $2 ORDER BY id DESC LIMIT $3",
                Tuple.of(name, beforeId, limit))) {
            list.add(new Emitted(row.getLong("id"), row.getString("name"), row.getString("payload"),
                    row.getInteger("woke"), row.getOffsetDateTime("emitted_at")));
        }
        return list;
    }
}
