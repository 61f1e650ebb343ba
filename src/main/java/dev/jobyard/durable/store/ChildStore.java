package dev.jobyard.durable.store;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.database.Sql;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Every statement on {@code durable_child}: which durable job created which child, under which key. */
@ApplicationScoped
public class ChildStore {

    /** A child and the parent that invoked it under {@code key}. */
    public record Link(long childId, long parentId, String key) {
    }

    private final Sql sql;

    ChildStore(Sql sql) {
        this.sql = sql;
    }

    public void add(Sql.Tx tx, long childId, long parentId, String key) {
        tx.query("INSERT INTO jobyard.durable_child (child_id, parent_id, key) VALUES ($1, $2, $3)",
                Tuple.of(childId, parentId, key));
    }

    /** The parent of each of these jobs that has one. */
    public List<Link> parentsOf(List<Long> childIds) {
        List<Link> links = new ArrayList<>();
        if (!childIds.isEmpty()) {
            for (Row row : sql.query("SELECT child_id, parent_id, key FROM jobyard.durable_child WHERE child_id = ANY($1)",
                    Tuple.of((Object) childIds.toArray(Long[]::new)))) {
                links.add(link(row));
            }
        }
        return links;
    }

    /** Children of these parents, oldest first. */
    public List<Link> childrenOf(Sql.Tx tx, List<Long> parentIds) {
        List<Link> links = new ArrayList<>();
        if (!parentIds.isEmpty()) {
            for (Row row : tx.query("SELECT child_id, parent_id, key FROM jobyard.durable_child WHERE parent_id = ANY($1)"
                    + " ORDER BY child_id", Tuple.of((Object) parentIds.toArray(Long[]::new)))) {
                links.add(link(row));
            }
        }
        return links;
    }

    /** Children of one parent, oldest first (for the API). */
    public List<Long> children(long parentId) {
        List<Long> ids = new ArrayList<>();
        for (Row row : sql.query("SELECT child_id FROM jobyard.durable_child WHERE parent_id = $1 ORDER BY child_id",
                Tuple.of(parentId))) {
            ids.add(row.getLong(0));
        }
        return ids;
    }

    private static Link link(Row row) {
        return new Link(row.getLong("child_id"), row.getLong("parent_id"), row.getString("key"));
    }
}
