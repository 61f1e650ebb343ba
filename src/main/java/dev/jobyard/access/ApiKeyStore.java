package dev.jobyard.access;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.database.Sql;
import dev.jobyard.database.Statements;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** The SQL of {@code jobyard.api_key}. */
@ApplicationScoped
public class ApiKeyStore {

    private static final String COLUMNS = "id, name, role, queues, created_by, created_at, expires_at, revoked_at, last_used_at";

    private final Sql sql;

    ApiKeyStore(Sql sql) {
        this.sql = sql;
    }

    /** A stored key, never its text. */
    public record ApiKey(long id, String name, Role role, List<String> queues, String createdBy, OffsetDateTime createdAt,
            OffsetDateTime expiresAt, OffsetDateTime revokedAt, OffsetDateTime lastUsedAt) {
    }

    /** Inserts a key; empty if its name is taken. */
    Optional<ApiKey> insert(Statements db, String name, Role role, List<String> queues, byte[] hash, String createdBy,
            OffsetDateTime expiresAt) {
        var rows = db.query("INSERT INTO jobyard.api_key (name, role, queues, key_hash, created_by, expires_at)"
                + " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (name) DO NOTHING RETURNING " + COLUMNS,
                Tuple.from(Arrays.asList(name, role.label(), queues == null ? null : queues.toArray(String[]::new),
                        io.vertx.core.buffer.Buffer.buffer(hash), createdBy, expiresAt)));
        return rows.iterator().hasNext() ? Optional.of(of(rows.iterator().next())) : Optional.empty();
    }

    /** The key with this hash, if it exists, is not revoked and has not expired. */
    Optional<ApiKey> findUsable(byte[] hash) {
        var rows = sql.query("SELECT " + COLUMNS + " FROM jobyard.api_key WHERE key_hash = $1 AND revoked_at IS NULL"
                + " AND (expires_at IS NULL OR expires_at > now())",
                Tuple.of(io.vertx.core.buffer.Buffer.buffer(hash)));
        return rows.iterator().hasNext() ? Optional.of(of(rows.iterator().next())) : Optional.empty();
    }

    /** Marks a key revoked (a second revoke changes nothing); empty for an unknown id. */
    Optional<ApiKey> revoke(Statements db, long id) {
        var rows = db.query("UPDATE jobyard.api_key SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING "
                + COLUMNS, Tuple.of(id));
        return rows.iterator().hasNext() ? Optional.of(of(rows.iterator().next())) : Optional.empty();
    }

    /** Keys, oldest first, after {@code afterId}. */
    List<ApiKey> list(long afterId, int limit) {
        List<ApiKey> keys = new java.util.ArrayList<>();
        for (Row row : sql.query("SELECT " + COLUMNS + " FROM jobyard.api_key WHERE id > $1 ORDER BY id LIMIT $2",
                Tuple.of(afterId, limit))) {
            keys.add(of(row));
        }
        return keys;
    }

    /** Records that these keys were used now: one statement for every key used since the last call. */
    void touch(Collection<Long> ids) {
        if (!ids.isEmpty()) {
            sql.query("UPDATE jobyard.api_key SET last_used_at = now() WHERE id = ANY($1)",
                    Tuple.of(ids.toArray(Long[]::new)));
        }
    }

    private static ApiKey of(Row row) {
        String[] queues = row.getArrayOfStrings("queues");
        return new ApiKey(row.getLong("id"), row.getString("name"), Role.named(row.getString("role")).orElseThrow(),
                queues == null ? null : List.of(queues), row.getString("created_by"), row.getOffsetDateTime("created_at"),
                row.getOffsetDateTime("expires_at"), row.getOffsetDateTime("revoked_at"), row.getOffsetDateTime("last_used_at"));
    }
}
