package dev.jobyard.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.access.ApiKeyStore.ApiKey;
import dev.jobyard.common.BadInputException;
import dev.jobyard.common.ConflictException;
import dev.jobyard.common.NotFoundException;
import dev.jobyard.config.JobyardConfig;
import dev.jobyard.database.Sql;
import io.quarkus.scheduler.Scheduled;

/**
 * API keys for machines: made with a role and queue grants, shown once, stored as a hash. A replica keeps the
 * keys it looked up for {@code jobyard.auth.key-cache-ttl}, so that a request costs a map lookup and no query,
 * and writes their last use in one statement every {@code jobyard.auth.last-used-interval}.
 */
@ApplicationScoped
public class ApiKeys {

    /** Every key starts with this, so that it is told from a JWT at a glance (and found by secret scanners). */
    public static final String PREFIX = "jy_";
    private static final int MAX_CACHED = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ApiKeyStore store;
    private final Sql sql;
    private final JobyardConfig config;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Set<Long> used = ConcurrentHashMap.newKeySet();

    private record Cached(ApiKey key, long loadedAt) {
    }

    /** Fired when this replica revokes a key, so that the sockets opened with it are closed at once. */
    public record Revoked(long id, String subject) {
    }

    /** A new key: its text, shown this once, and what is stored. */
    public record Created(String key, ApiKey apiKey) {
    }

    private final jakarta.enterprise.event.Event<Revoked> revocations;

    ApiKeys(ApiKeyStore store, Sql sql, JobyardConfig config,
            jakarta.enterprise.event.Event<Revoked> revocations) {
        this.sql = sql;
        this.store = store;
        this.config = config;
        this.revocations = revocations;
    }

    public Created create(String name, Role role, List<String> queues, OffsetDateTime expiresAt, String createdBy) {
        if (name == null || name.isBlank()) {
            throw new BadInputException("input.name", "must not be empty");
        }
        if (role == null) {
            throw new BadInputException("input.role", "is required");
        }
        if (queues != null) {
            for (int i = 0; i < queues.size(); i++) {
                String q = queues.get(i);
                if (q == null || q.isBlank() || q.indexOf('*') >= 0 && q.indexOf('*') != q.length() - 1) {
                    throw new BadInputException("input.queues[" + i + "]",
                            "must be a queue name, or a prefix ending in '*' (a '*' elsewhere is not allowed), got '" + q + "'");
                }
            }
        }
        if (expiresAt != null && !expiresAt.toInstant().isAfter(Instant.now())) {
            throw new BadInputException("input.expiresAt", "must be in the future, got " + expiresAt);
        }
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String text = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        // In a transaction that a taken name rolls back: the audit record it carries is then the CONFLICT, not OK.
        ApiKey key = sql.inTransaction(tx -> store.insert(tx, name.trim(), role, queues == null || queues.isEmpty() ? null
                : queues, hash(text), createdBy, expiresAt).orElseThrow(() -> new ConflictException("input.name: an API key named '"
                        + name.trim() + "' exists")));
        return new Created(text, key);
    }

    public ApiKey revoke(long id) {
        ApiKey key = sql.inTransaction(tx -> store.revoke(tx, id).orElseThrow(() -> new NotFoundException("API key", id)));
        // This replica forgets it at once; others within jobyard.auth.key-cache-ttl.
        cache.values().removeIf(c -> c.key() != null && c.key().id() == id);
        revocations.fire(new Revoked(id, subjectOf(key)));
        return key;
    }

    public List<ApiKey> list(long afterId, int limit) {
        return store.list(afterId, limit);
    }

    /** The caller a key belongs to, from the cache if it is fresh; empty for an unknown, revoked or expired key. */
    public Optional<Caller> authenticate(String text) {
        Optional<Caller> cached = cached(text);
        if (cached != null) {
            return cached;
        }
        String hash = hex(hash(text));
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        ApiKey key = store.findUsable(hash(text)).orElse(null);
        cache.put(hash, new Cached(key, System.nanoTime()));
        return callerOf(key);
    }

    /** The answer from the cache alone, or null when the key must be looked up (which blocks). */
    public Optional<Caller> cached(String text) {
        Cached hit = cache.get(hex(hash(text)));
        if (hit == null || System.nanoTime() - hit.loadedAt() > config.auth().keyCacheTtl().toNanos()) {
            return null;
        }
        return callerOf(hit.key());
    }

    private Optional<Caller> callerOf(ApiKey key) {
        if (key == null || key.expiresAt() != null && !key.expiresAt().toInstant().isAfter(Instant.now())) {
            return Optional.empty();
        }
        used.add(key.id());
        return Optional.of(new Caller(subjectOf(key), key.role(), QueueGrants.of(key.queues()),
                key.expiresAt() == null ? null : key.expiresAt().toInstant(), false));
    }

    @Scheduled(every = "${jobyard.auth.last-used-interval:60s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void writeLastUse() {
        if (used.isEmpty()) {
            return;
        }
        Set<Long> ids = new HashSet<>(used);
        used.removeAll(ids);
        try {
            store.touch(ids);
        } catch (RuntimeException e) {
            // Only a timestamp: the next round writes it.
            used.addAll(ids);
        }
    }

    /** The subject of a key's caller, in audit records and on sockets: {@code key:<name>} (names are unique). */
    static String subjectOf(ApiKey key) {
        return "key:" + key.name();
    }

    static byte[] hash(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }
}
