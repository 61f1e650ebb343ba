package dev.jobyard.access;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.jobyard.database.Sql;
import dev.jobyard.database.Statements;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** The SQL of {@code jobyard.audit_log}. */
@ApplicationScoped
public class AuditStore {

    private static final Logger LOG = Logger.getLogger(AuditStore.class);
    static final String INSERT = "INSERT INTO jobyard.audit_log (subject, role, field, arguments, address, outcome)"
            + " VALUES ($1, $2, $3, $4, $5, $6)";

    private final Sql sql;
    private final Pool pool;

    AuditStore(Sql sql, Pool pool) {
        this.sql = sql;
        this.pool = pool;
    }

    /** One record. */
    public record Record(long id, OffsetDateTime at, String subject, String role, String field, JsonObject arguments,
            String address, String outcome) {
    }

    /** Inserts a record with {@code statements}: in the transaction of the change it records. */
    void insert(Statements statements, AuditTrail.Entry entry, String outcome) {
        statements.query(INSERT, tuple(entry, outcome));
    }

    /** Inserts a record on the connection of a Hibernate Reactive session: in the transaction of the change it records. */
    io.smallrye.mutiny.Uni<Void> insert(org.hibernate.reactive.mutiny.Mutiny.Session session, AuditTrail.Entry entry,
            String outcome) {
        Caller caller = entry.caller();
        // A native statement returning a row, as the session's other native statements here (its parameters are ?n). The
        // arguments go as text: a string bound where jsonb is expected would be stored as one JSON string.
        return session.createNativeQuery("INSERT INTO jobyard.audit_log (subject, role, field, arguments, address, outcome)"
                + " VALUES (?1, ?2, ?3, cast(cast(?4 as text) as jsonb), ?5, ?6) RETURNING id", Long.class)
                .setParameter(1, caller.subject()).setParameter(2, caller.role() == null ? null : caller.role().label())
                .setParameter(3, entry.field()).setParameter(4, entry.arguments() == null ? null : entry.arguments().encode())
                .setParameter(5, entry.address()).setParameter(6, outcome)
                .getSingleResult().replaceWithVoid();
    }

    /**
     * Inserts a record on its own without waiting (callable from an event loop): for refused mutations and
     * those that wrote nothing in a transaction of theirs.
     */
    void insertLater(AuditTrail.Entry entry, String outcome) {
        pool.preparedQuery(INSERT).execute(tuple(entry, outcome)).subscribe().with(rows -> {
        }, failure -> LOG.debugf("audit record of %s not written: %s", entry.field(), failure));
    }

    static Tuple tuple(AuditTrail.Entry entry, String outcome) {
        Caller caller = entry.caller();
        return Tuple.from(Arrays.asList(caller.subject(), caller.role() == null ? null : caller.role().label(), entry.field(),
                entry.arguments(), entry.address(), outcome));
    }

    /** Records newest first, strictly before {@code beforeId}, optionally of one subject and since a time. */
    List<Record> list(String subject, OffsetDateTime since, long beforeId, int limit) {
        List<Record> records = new ArrayList<>();
        for (Row row : sql.query("SELECT id, at, subject, role, field, arguments, address, outcome FROM jobyard.audit_log"
                + " WHERE id < $1 AND ($2::text IS NULL OR subject = $2) AND ($3::timestamptz IS NULL OR at >= $3)"
                + " ORDER BY id DESC LIMIT $4", Tuple.from(Arrays.asList(beforeId, subject, since, limit)))) {
            Object arguments = row.getValue("arguments");
            records.add(new Record(row.getLong("id"), row.getOffsetDateTime("at"), row.getString("subject"),
                    row.getString("role"), row.getString("field"), arguments instanceof JsonObject o ? o : null,
                    row.getString("address"), row.getString("outcome")));
        }
        return records;
    }

    /** Removes records older than {@code retention}; returns how many. */
    long removeOlderThan(Duration retention) {
        return sql.query("DELETE FROM jobyard.audit_log WHERE at < now() - make_interval(secs => $1)",
                Tuple.of((double) retention.toSeconds())).rowCount();
    }
}
