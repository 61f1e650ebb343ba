package dev.jobyard.access;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.common.JobyardException;
import dev.jobyard.config.JobyardConfig;
import dev.jobyard.database.SessionHook;
import dev.jobyard.database.Sql;
import dev.jobyard.database.TransactionHook;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.graphql.execution.context.SmallRyeContext;
import io.smallrye.graphql.execution.context.SmallRyeContextManager;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The audit log: one record per mutation field, with who, what (arguments, secrets masked), when, from where
 * and the outcome. A mutation that changes something in a transaction writes its record in that transaction
 * ({@link TransactionHook} for database.Sql's, {@link SessionHook} for the Panache session's), so a change never
 * commits unrecorded; a refused or failed mutation, or one that wrote outside a transaction, is recorded on its own
 * right after.
 */
@ApplicationScoped
@io.quarkus.arc.Unremovable
public class AuditTrail implements TransactionHook, SessionHook {

    /** The key of the running mutation's entry in the GraphQL context (mutation fields run one after another). */
    static final String KEY = "jobyard.audit";
    private static final int MAX_ARGUMENT_CHARS = 8192;
    private static final int MAX_LIST_ITEMS = 20;
    private static final Pattern SECRET = Pattern.compile("(?i).*(password|secret|token|authorization|credential|apikey).*|key");

    private final AuditStore store;
    private final JobyardConfig config;

    AuditTrail(AuditStore store, JobyardConfig config) {
        this.store = store;
        this.config = config;
    }

    /** One mutation field being audited. */
    public static final class Entry {
        private final Caller caller;
        private final String field;
        private final JsonObject arguments;
        private final String address;
        private volatile boolean written;
        private volatile boolean ended;

        Entry(Caller caller, String field, JsonObject arguments, String address) {
            this.caller = caller;
            this.field = field;
            this.arguments = arguments;
            this.address = address;
        }

        Caller caller() {
            return caller;
        }

        String field() {
            return field;
        }

        JsonObject arguments() {
            return arguments;
        }

        String address() {
            return address;
        }
    }

    public Entry begin(Caller caller, String field, Map<String, Object> arguments, String address) {
        return new Entry(caller, field, masked(arguments), address);
    }

    /** Records a mutation refused before it ran. */
    public void refused(Entry entry, String code) {
        entry.ended = true;
        store.insertLater(entry, code);
    }

    /** Runs the mutation with its entry where its transactions find it. */
    public Object running(graphql.GraphQLContext context, Entry entry, Callable<Object> mutation) throws Exception {
        context.put(KEY, entry);
        return mutation.call();
    }

    /** The mutation ended, with {@code failure} or none: recorded now unless its transaction recorded it. */
    public void ended(Entry entry, Throwable failure) {
        entry.ended = true;
        if (!entry.written) {
            store.insertLater(entry, failure == null ? "OK" : codeOf(failure));
        }
    }

    @Override
    public void beforeCommit(Sql.Tx tx) {
        Entry entry = pending();
        if (entry != null) {
            store.insert(tx, entry, "OK");
            tx.afterCommit(() -> entry.written = true);
        }
    }

    /** A single change ({@link dev.jobyard.database.Sql#change}): the record is sent with it, in its transaction. */
    @Override
    public List<Pipelined> pipelined() {
        Entry entry = pending();
        if (entry == null) {
            return List.of();
        }
        return List.of(new Pipelined(AuditStore.INSERT, AuditStore.tuple(entry, "OK"), () -> entry.written = true));
    }

    /** A transaction of the Panache session: the record is inserted on its connection just before it commits. */
    @Override
    public Addition capture() {
        Entry entry = pending();
        if (entry == null) {
            return null;
        }
        return new Addition() {
            @Override
            public io.smallrye.mutiny.Uni<Void> beforeCommit(org.hibernate.reactive.mutiny.Mutiny.Session session) {
                return store.insert(session, entry, "OK");
            }

            @Override
            public void committed() {
                entry.written = true;
            }
        };
    }

    /** The running mutation's entry, on its resolver's thread, unless it is recorded already. */
    private static Entry pending() {
        SmallRyeContext context = SmallRyeContextManager.getCurrentSmallRyeContext();
        if (context == null || context.getDataFetchingEnvironment() == null) {
            return null;
        }
        Entry entry = context.getDataFetchingEnvironment().getGraphQlContext().get(KEY);
        return entry == null || entry.ended || entry.written ? null : entry;
    }

    public List<AuditStore.Record> list(String subject, OffsetDateTime since, long beforeId, int limit) {
        return store.list(subject, since, beforeId, limit);
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void removeExpired() {
        try {
            store.removeOlderThan(config.auth().auditRetention());
        } catch (RuntimeException e) {
            // The next round removes them.
        }
    }

    private static String codeOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JobyardException own) {
                return own.code();
            }
        }
        return "INTERNAL";
    }

    /** The arguments as JSON, values of secret-looking names masked, cut to a size a log row should have. */
    static JsonObject masked(Map<String, Object> arguments) {
        JsonObject json = new JsonObject();
        arguments.forEach((name, value) -> json.put(name, maskedValue(name, value)));
        String text = json.encode();
        return text.length() <= MAX_ARGUMENT_CHARS ? json
                : new JsonObject().put("truncated", true).put("start", text.substring(0, MAX_ARGUMENT_CHARS));
    }

    private static Object maskedValue(String name, Object value) {
        if (value != null && SECRET.matcher(name).matches()) {
            return "[masked]";
        }
        if (value instanceof Map<?, ?> map && !(value instanceof jakarta.json.JsonValue)) {
            JsonObject object = new JsonObject();
            map.forEach((k, v) -> object.put(String.valueOf(k), maskedValue(String.valueOf(k), v)));
            return object;
        }
        if (value instanceof List<?> list) {
            // A createJobs of thousands: the first items tell what it was, and the record stays small and cheap.
            JsonArray array = new JsonArray();
            list.stream().limit(MAX_LIST_ITEMS).forEach(v -> array.add(maskedValue(name, v)));
            if (list.size() > MAX_LIST_ITEMS) {
                array.add(new JsonObject().put("more", list.size() - MAX_LIST_ITEMS));
            }
            return array;
        }
        if (value instanceof jakarta.json.JsonValue json) {
            return maskedValue(name, io.vertx.core.json.Json.decodeValue(json.toString()));
        }
        if (value instanceof JsonObject object) {
            JsonObject copy = new JsonObject();
            object.forEach(e -> copy.put(e.getKey(), maskedValue(e.getKey(), e.getValue())));
            return copy;
        }
        if (value instanceof JsonArray array) {
            JsonArray copy = new JsonArray();
            array.forEach(v -> copy.add(maskedValue(name, v)));
            return copy;
        }
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        return String.valueOf(value);
    }
}
